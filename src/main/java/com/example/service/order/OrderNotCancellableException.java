package com.example.service.order;

import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

class OrderNotCancellableException extends ErrorResponseException {

	OrderNotCancellableException(UUID id) {
		super(HttpStatus.CONFLICT,
				ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, "Order " + id + " is already cancelled."), null);
	}

}
