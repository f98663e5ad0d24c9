package com.example.service.order;

import java.time.Instant;
import java.util.UUID;

record OrderResponse(UUID id, String sku, int quantity, OrderStatus status, long version, Instant createdAt,
		Instant updatedAt) {

	static OrderResponse of(Order order) {
		return new OrderResponse(order.id(), order.sku(), order.quantity(), order.status(), order.currentVersion(),
				order.createdAt(), order.updatedAt());
	}

}
