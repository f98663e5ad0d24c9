package com.example.service.order.inventory;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.http.HttpTimeoutException;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.HttpServerErrorException;

/**
 * Which failures of an inventory call count against the circuit breaker, and which are
 * worth another attempt.
 */
final class InventoryFailures {

	/**
	 * Bad gateway, unavailable, gateway timeout: a proxy or the service says "not now". A
	 * 500 is a bug that the same request will hit again.
	 */
	private static final Set<Integer> TRANSIENT_STATUSES = Set.of(502, 503, 504);

	private InventoryFailures() {
	}

	/**
	 * Everything but a 4xx: a 4xx is the answer of a healthy service (409 "not enough
	 * stock" above all) and must never open the circuit.
	 */
	static boolean countsAgainstTheCircuit(Throwable failure) {
		return !(failure instanceof HttpClientErrorException);
	}

	/**
	 * Worth retrying, if the call is idempotent: the request may not have arrived, or the
	 * service says to come back. Timeouts, connection refused or reset, a response cut
	 * off or garbled on the wire, and 502/503/504. Never a 4xx.
	 */
	static boolean isRetryable(Throwable failure) {
		if (failure instanceof HttpServerErrorException error) {
			return TRANSIENT_STATUSES.contains(error.getStatusCode().value());
		}
		return !(failure instanceof HttpClientErrorException) && find(failure, IOException.class) != null;
	}

	/** The attempt ran out of time, connecting or reading. */
	static boolean isTimeout(Throwable failure) {
		return find(failure, HttpTimeoutException.class) != null || find(failure, SocketTimeoutException.class) != null;
	}

	private static <T extends Throwable> @Nullable T find(Throwable failure, Class<T> type) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (type.isInstance(cause)) {
				return type.cast(cause);
			}
			if (cause.getCause() == cause) {
				break;
			}
		}
		return null;
	}

}
