package com.example.service.ratelimit;

import java.time.Duration;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Resilience4j's AtomicRateLimiter, driven by a manual clock: no sleeping, no flakiness.
 */
class ClientLimitersTest {

	private final ManualTicker ticker = new ManualTicker();

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private final ClientLimiters limiters = new ClientLimiters(
			new RateLimitPolicy("default", 3, Duration.ofSeconds(10)), 1000, Duration.ofMinutes(1), ticker, meters);

	@Test
	void admitsExactlyTheLimitPerWindowThenRejects() {
		assertThat(limiters.acquire("a")).isEqualTo(new RateLimitDecision(true, 2, 10));
		ticker.advance(Duration.ofMillis(2500));
		assertThat(limiters.acquire("a")).isEqualTo(new RateLimitDecision(true, 1, 8));
		assertThat(limiters.acquire("a")).isEqualTo(new RateLimitDecision(true, 0, 8));
		assertThat(limiters.acquire("a")).isEqualTo(new RateLimitDecision(false, 0, 8));
		ticker.advance(Duration.ofMillis(7499));
		assertThat(limiters.acquire("a")).isEqualTo(new RateLimitDecision(false, 0, 1));
	}

	@Test
	void startsAFullWindowAtTheBoundaryWithoutCarryOver() {
		limiters.acquire("a");
		ticker.advance(Duration.ofSeconds(10));
		for (int i = 2; i >= 0; i--) {
			assertThat(limiters.acquire("a")).isEqualTo(new RateLimitDecision(true, i, 10));
		}
		assertThat(limiters.acquire("a").allowed()).isFalse();
	}

	@Test
	void admitsUpToTwiceTheLimitAcrossAWindowBoundary() {
		// Fixed windows without carry-over (resilience4j#1356): the last 2 ms of one
		// window and the first of the
		// next admit 3 + 3 requests.
		limiters.acquire("a");
		ticker.advance(Duration.ofMillis(9998));
		int admitted = 1;
		for (int i = 0; i < 3; i++) {
			admitted += limiters.acquire("a").allowed() ? 1 : 0;
		}
		ticker.advance(Duration.ofMillis(2));
		for (int i = 0; i < 4; i++) {
			admitted += limiters.acquire("a").allowed() ? 1 : 0;
		}
		assertThat(admitted).isEqualTo(6);
	}

	@Test
	void keepsClientsApart() {
		for (int i = 0; i < 3; i++) {
			limiters.acquire("a");
		}
		assertThat(limiters.acquire("a").allowed()).isFalse();
		assertThat(limiters.acquire("b").allowed()).isTrue();
	}

	@Test
	void countsOutcomesPerPolicyOnly() {
		for (int i = 0; i < 5; i++) {
			limiters.acquire("a");
		}
		limiters.acquire("b");
		assertThat(meters.get("ratelimit.requests").tags("policy", "default", "outcome", "allowed").counter().count())
			.isEqualTo(4);
		assertThat(meters.get("ratelimit.requests").tags("policy", "default", "outcome", "rejected").counter().count())
			.isEqualTo(2);
		assertThat(meters.getMeters()).hasSize(2);
	}

	@Test
	void forgetsIdleClients() {
		for (int i = 0; i < 3; i++) {
			limiters.acquire("a");
		}
		ticker.advance(Duration.ofMinutes(1).plusNanos(1));
		assertThat(limiters.size()).isZero();
	}

	@Test
	void holdsAtMostMaxClients() {
		for (int i = 0; i < 100_000; i++) {
			limiters.acquire("client-" + i);
		}
		assertThat(limiters.size()).isLessThanOrEqualTo(1000);
	}

}
