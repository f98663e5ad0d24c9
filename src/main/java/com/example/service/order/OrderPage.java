package com.example.service.order;

import java.util.List;

import org.springframework.data.domain.Page;

/**
 * A page of orders, newest first. A stable shape of our own rather than Spring Data's
 * {@code Page} serialization.
 */
record OrderPage(List<OrderResponse> content, int page, int size, long totalElements, int totalPages) {

	static OrderPage of(Page<Order> page) {
		return new OrderPage(page.map(OrderResponse::of).getContent(), page.getNumber(), page.getSize(),
				page.getTotalElements(), page.getTotalPages());
	}

}
