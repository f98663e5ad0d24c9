package com.example.service.order.inventory;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * The inventory's business answer: not enough stock. A healthy dependency said no, so it
 * is neither retried nor held against the circuit breaker.
 */
public class InsufficientStockException extends ErrorResponseException {

	public InsufficientStockException(String sku, int quantity) {
		super(HttpStatus.CONFLICT, ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT,
				"Not enough stock of " + sku + " to reserve " + quantity + "."), null);
	}

}
