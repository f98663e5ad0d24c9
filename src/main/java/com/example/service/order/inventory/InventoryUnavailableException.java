package com.example.service.order.inventory;

import java.time.Duration;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * The inventory service could not answer in time: slow, failing, circuit open, or too
 * many calls already in flight. Safe to retry after {@code Retry-After}.
 */
public class InventoryUnavailableException extends ErrorResponseException {

	public InventoryUnavailableException(Duration retryAfter) {
		super(HttpStatus.SERVICE_UNAVAILABLE,
				ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
						"Stock cannot be reserved right now: the inventory service is unavailable. "
								+ "Retry after the delay in Retry-After."),
				null);
		getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(seconds(retryAfter)));
	}

	/** Whole seconds, rounded up and never 0: {@code Retry-After: 0} invites a storm. */
	static long seconds(Duration delay) {
		long seconds = delay.toSeconds() + ((delay.toNanosPart() > 0) ? 1 : 0);
		return Math.max(1, seconds);
	}

}
