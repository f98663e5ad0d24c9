package com.example.service.order;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import com.example.service.web.EntityTags;
import com.example.service.web.PreconditionFailedException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

@Service
class OrderService {

	private static final Sort NEWEST_FIRST = Sort.by(Sort.Order.desc("createdAt"), Sort.Order.asc("id"));

	private final OrderRepository orders;

	private final Clock clock;

	private final Counter placed;

	OrderService(OrderRepository orders, Clock clock, MeterRegistry meters) {
		this.orders = orders;
		this.clock = clock;
		// Not "orders.created": Prometheus reserves the "_created" suffix, and the
		// registry would publish it as orders_total.
		this.placed = Counter.builder("orders.placed")
			.description("Orders placed and committed (replayed idempotent requests are not counted)")
			.register(meters);
	}

	/**
	 * Inserts a new order; the caller runs it in the transaction that also records the
	 * idempotent response. A second insert with the same id fails with a duplicate key.
	 * Counted once that transaction commits: a rolled-back attempt (a concurrent retry
	 * that lost the race) is not an order.
	 */
	Order place(UUID id, String sku, int quantity) {
		Order order = orders.save(Order.place(id, sku, quantity, now()));
		if (TransactionSynchronizationManager.isSynchronizationActive()) {
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
				@Override
				public void afterCommit() {
					placed.increment();
				}
			});
		}
		else {
			placed.increment();
		}
		return order;
	}

	@Transactional(readOnly = true)
	Order find(UUID id) {
		return orders.findById(id).orElseThrow(() -> new OrderNotFoundException(id));
	}

	@Transactional(readOnly = true)
	Page<Order> list(int page, int size) {
		return orders.findAll(PageRequest.of(page, size, NEWEST_FIRST));
	}

	/**
	 * Cancels an order if the client saw its current version. The version check and the
	 * write are one transaction, and the version column catches a concurrent writer
	 * between them.
	 */
	@Transactional
	Order cancel(UUID id, @Nullable String ifMatch) {
		Order order = find(id);
		EntityTags.requireMatch(ifMatch, order.currentVersion());
		try {
			return orders.save(order.cancel(now()));
		}
		catch (OptimisticLockingFailureException ex) {
			throw new PreconditionFailedException();
		}
	}

	/**
	 * Microseconds: what PostgreSQL stores, so a response and a later read show the same
	 * instant.
	 */
	private Instant now() {
		return clock.instant().truncatedTo(ChronoUnit.MICROS);
	}

}
