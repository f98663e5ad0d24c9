package com.example.service.order;

import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

class OrderNotFoundException extends ErrorResponseException {

	OrderNotFoundException(UUID id) {
		super(HttpStatus.NOT_FOUND,
				ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "No order with id " + id + "."), null);
	}

}
