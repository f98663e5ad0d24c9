package com.example.service.idempotency;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * The key was already used for a different request: replaying the first response would be
 * wrong, and doing the work again would defeat the key.
 */
public class IdempotencyKeyReusedException extends ErrorResponseException {

	IdempotencyKeyReusedException() {
		super(HttpStatus.UNPROCESSABLE_CONTENT, ProblemDetail.forStatusAndDetail(HttpStatus.UNPROCESSABLE_CONTENT,
				"This Idempotency-Key was already used with a different request. Use a new key for a new request."),
				null);
	}

}
