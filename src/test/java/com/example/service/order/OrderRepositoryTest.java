package com.example.service.order;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.data.jdbc.test.autoconfigure.DataJdbcTest;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Mapping and optimistic locking on the embedded database with the real Flyway
 * migrations; {@code OrderApiIT} repeats the important parts on PostgreSQL.
 */
@DataJdbcTest
@AutoConfigureTestDatabase(replace = AutoConfigureTestDatabase.Replace.NONE)
@ActiveProfiles("local")
class OrderRepositoryTest {

	private static final Instant NOW = Instant.parse("2026-11-21T10:15:30.123456Z");

	@Autowired
	private OrderRepository orders;

	@Test
	void savesAndReadsAnOrderWithVersionZero() {
		Order saved = orders.save(Order.place(UUID.randomUUID(), "SKU-1", 3, NOW));
		assertThat(saved.version()).isZero();
		assertThat(orders.findById(saved.id())).contains(saved);
	}

	@Test
	void incrementsTheVersionOnEveryChange() {
		Order saved = orders.save(Order.place(UUID.randomUUID(), "SKU-1", 3, NOW));
		Order cancelled = orders.save(saved.cancel(NOW.plusSeconds(1)));
		assertThat(cancelled.version()).isEqualTo(1);
		assertThat(orders.findById(saved.id()).orElseThrow().status()).isEqualTo(OrderStatus.CANCELLED);
	}

	@Test
	void refusesAWriteBasedOnAStaleVersion() {
		Order saved = orders.save(Order.place(UUID.randomUUID(), "SKU-1", 3, NOW));
		orders.save(saved.cancel(NOW.plusSeconds(1)));
		assertThatExceptionOfType(OptimisticLockingFailureException.class)
			.isThrownBy(() -> orders.save(saved.cancel(NOW.plusSeconds(2))));
	}

	@Test
	void pagesNewestFirst() {
		for (int i = 0; i < 5; i++) {
			orders.save(Order.place(UUID.randomUUID(), "SKU-" + i + "00", 1, NOW.plus(i, ChronoUnit.MINUTES)));
		}
		var page = orders.findAll(PageRequest.of(0, 2, Sort.by(Sort.Order.desc("createdAt"))));
		assertThat(page.getContent()).extracting(Order::sku).containsExactly("SKU-400", "SKU-300");
		assertThat(page.getTotalElements()).isEqualTo(5);
	}

}
