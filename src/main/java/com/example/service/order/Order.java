package com.example.service.order;

import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.Version;
import org.springframework.data.relational.core.mapping.Table;

/**
 * An order aggregate. Immutable: every change returns a new instance that the repository
 * saves, and {@link Version @Version} turns concurrent changes into an optimistic-locking
 * failure instead of a lost update.
 */
@Table("orders")
record Order(@Id UUID id, String sku, int quantity, OrderStatus status, @Version @Nullable Long version,
		Instant createdAt, Instant updatedAt) {

	static Order place(UUID id, String sku, int quantity, Instant now) {
		return new Order(id, sku, quantity, OrderStatus.PLACED, null, now, now);
	}

	Order cancel(Instant now) {
		if (status == OrderStatus.CANCELLED) {
			throw new OrderNotCancellableException(id);
		}
		return new Order(id, sku, quantity, OrderStatus.CANCELLED, version, createdAt, now);
	}

	long currentVersion() {
		return (version != null) ? version : 0;
	}

}
