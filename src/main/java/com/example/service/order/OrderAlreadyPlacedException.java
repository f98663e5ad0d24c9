package com.example.service.order;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * An Idempotency-Key came back after its recorded response expired: the order it placed
 * exists, under the id the key derives, and cannot be placed again.
 */
class OrderAlreadyPlacedException extends ErrorResponseException {

	OrderAlreadyPlacedException() {
		super(HttpStatus.UNPROCESSABLE_CONTENT,
				ProblemDetail.forStatusAndDetail(HttpStatus.UNPROCESSABLE_CONTENT,
						"This Idempotency-Key already placed an order, and its recorded response has expired. "
								+ "Use a new key for a new order."),
				null);
	}

}
