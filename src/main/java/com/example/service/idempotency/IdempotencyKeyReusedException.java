package com.example.service.idempotency;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * The key was already used for a different request: replaying the first response would be
 * wrong, and doing the work again would defeat the key.
 */
public class IdempotencyKeyReusedException extends ErrorResponseException {

	/**
	 * Public, like the type, because it is part of the contract of
	 * {@link IdempotentRequests#execute}: a caller's slice test, with
	 * {@code IdempotentRequests} mocked, throws it to check how the reuse reaches the API
	 * client.
	 */
	public IdempotencyKeyReusedException() {
		super(HttpStatus.UNPROCESSABLE_CONTENT, ProblemDetail.forStatusAndDetail(HttpStatus.UNPROCESSABLE_CONTENT,
				"This Idempotency-Key was already used with a different request. Use a new key for a new request."),
				null);
	}

}
