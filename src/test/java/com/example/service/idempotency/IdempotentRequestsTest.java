package com.example.service.idempotency;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.data.jdbc.test.autoconfigure.DataJdbcTest;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

@DataJdbcTest
@AutoConfigureTestDatabase(replace = AutoConfigureTestDatabase.Replace.NONE)
@ActiveProfiles("local")
@Transactional(propagation = Propagation.NOT_SUPPORTED)
@Import({ IdempotentRequests.class, IdempotencyKeyExpiry.class, IdempotentRequestsTest.FixedClock.class })
class IdempotentRequestsTest {

	@Autowired
	private IdempotentRequests requests;

	@Autowired
	private IdempotencyKeyExpiry expiry;

	private final AtomicInteger runs = new AtomicInteger();

	@Test
	void runsOnceAndReplaysTheFirstResponse() {
		IdempotencyKey key = new IdempotencyKey("client-a", "replay");
		RecordedResponse first = requests.execute(key, "hash-1", this::work);
		RecordedResponse second = requests.execute(key, "hash-1", this::work);
		assertThat(second).isEqualTo(first);
		assertThat(runs).hasValue(1);
	}

	@Test
	void refusesTheSameKeyForAnotherRequest() {
		IdempotencyKey key = new IdempotencyKey("client-a", "reused");
		requests.execute(key, "hash-1", this::work);
		assertThatExceptionOfType(IdempotencyKeyReusedException.class)
			.isThrownBy(() -> requests.execute(key, "hash-2", this::work));
		assertThat(runs).hasValue(1);
	}

	@Test
	void scopesKeysPerClient() {
		requests.execute(new IdempotencyKey("client-a", "shared"), "hash-1", this::work);
		requests.execute(new IdempotencyKey("client-b", "shared"), "hash-2", this::work);
		assertThat(runs).hasValue(2);
	}

	@Test
	void recordsNothingWhenTheWorkFails() {
		IdempotencyKey key = new IdempotencyKey("client-a", "fails");
		assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> requests.execute(key, "hash-1", () -> {
			throw new IllegalStateException("boom");
		}));
		requests.execute(key, "hash-1", this::work);
		assertThat(runs).hasValue(1);
	}

	@Test
	void runsEveryTimeWithoutAKey() {
		requests.execute(null, "hash-1", this::work);
		requests.execute(null, "hash-1", this::work);
		assertThat(runs).hasValue(2);
	}

	@Test
	void preparesOutsideTheTransactionAndNotForAReplay() {
		IdempotencyKey key = new IdempotencyKey("client-a", "prepared");
		List<String> steps = new ArrayList<>();
		Runnable prepare = () -> steps.add("prepare in transaction: " + inTransaction());
		Supplier<RecordedResponse> action = () -> {
			steps.add("action in transaction: " + inTransaction());
			return work();
		};
		RecordedResponse first = requests.execute(key, "hash-1", prepare, action);
		RecordedResponse replay = requests.execute(key, "hash-1", prepare, action);
		assertThat(replay).isEqualTo(first);
		assertThat(steps).containsExactly("prepare in transaction: false", "action in transaction: true");
	}

	@Test
	void recordsNothingWhenPreparationFails() {
		IdempotencyKey key = new IdempotencyKey("client-a", "unprepared");
		assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> requests.execute(key, "hash-1", () -> {
			throw new IllegalStateException("inventory down");
		}, this::work));
		assertThat(runs).hasValue(0);
		requests.execute(key, "hash-1", () -> {
		}, this::work);
		assertThat(runs).hasValue(1);
	}

	@Test
	void preparesEveryTimeWithoutAKey() {
		AtomicInteger prepared = new AtomicInteger();
		requests.execute(null, "hash-1", prepared::incrementAndGet, this::work);
		requests.execute(null, "hash-1", prepared::incrementAndGet, this::work);
		assertThat(prepared).hasValue(2);
	}

	@Test
	void derivesTheSameIdForTheSameRequestOnly() {
		IdempotencyKey key = new IdempotencyKey("client-a", "key-1");
		UUID id = key.stableId("hash-1");
		assertThat(key.stableId("hash-1")).isEqualTo(id);
		assertThat(new IdempotencyKey("client-a", "key-1").stableId("hash-1")).isEqualTo(id);
		assertThat(key.stableId("hash-2")).isNotEqualTo(id);
		assertThat(new IdempotencyKey("client-b", "key-1").stableId("hash-1")).isNotEqualTo(id);
		assertThat(new IdempotencyKey("client-a", "key-2").stableId("hash-1")).isNotEqualTo(id);
		assertThat(id.version()).isEqualTo(8);
		assertThat(id.variant()).isEqualTo(2);
	}

	@Test
	void fingerprintsDependOnEveryPart() {
		assertThat(IdempotentRequests.fingerprint("a", "bc")).isNotEqualTo(IdempotentRequests.fingerprint("ab", "c"))
			.hasSize(64);
	}

	@Test
	void purgesOnlyExpiredKeys() {
		requests.execute(new IdempotencyKey("client-a", "old"), "hash-1", this::work);
		assertThat(expiry.purge()).isZero();
		FixedClock.now = FixedClock.now.plusSeconds(25 * 3600);
		try {
			assertThat(expiry.purge()).isGreaterThanOrEqualTo(1);
		}
		finally {
			FixedClock.now = FixedClock.START;
		}
	}

	private static boolean inTransaction() {
		return TransactionSynchronizationManager.isActualTransactionActive();
	}

	private RecordedResponse work() {
		return new RecordedResponse(201, "/things/" + runs.incrementAndGet(), "{\"n\":" + runs.get() + "}");
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class FixedClock {

		static final Instant START = Instant.parse("2026-11-21T10:00:00Z");

		static Instant now = START;

		@Bean
		Clock clock() {
			return new Clock() {
				@Override
				public ZoneOffset getZone() {
					return ZoneOffset.UTC;
				}

				@Override
				public Clock withZone(java.time.ZoneId zone) {
					return this;
				}

				@Override
				public Instant instant() {
					return now;
				}
			};
		}

		@Bean
		IdempotencyProperties idempotencyProperties() {
			return new IdempotencyProperties(java.time.Duration.ofHours(24), java.time.Duration.ofMinutes(10));
		}

	}

}
