package com.example.service.order;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import com.example.service.web.EntityTags;
import com.example.service.web.PreconditionFailedException;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

@Service
class OrderService {

	private static final Sort NEWEST_FIRST = Sort.by(Sort.Order.desc("createdAt"), Sort.Order.asc("id"));

	private final OrderRepository orders;

	private final Clock clock;

	OrderService(OrderRepository orders, Clock clock) {
		this.orders = orders;
		this.clock = clock;
	}

	/**
	 * Inserts a new order; the caller runs it in the transaction that also records the
	 * idempotent response. A second insert with the same id fails with a duplicate key.
	 */
	Order place(UUID id, String sku, int quantity) {
		return orders.save(Order.place(id, sku, quantity, now()));
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
