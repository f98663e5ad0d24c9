package com.example.service.order.inventory;

import java.net.http.HttpClient;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClientException;
import org.springframework.web.client.RestClientResponseException;

/**
 * Reserves stock with {@code PUT /api/inventory/reservations/{id}}: the caller chooses
 * the id, so a repeated request finds the reservation it made before instead of making a
 * second one, and the call may be retried. The inventory answers 200 or 201 with the
 * reservation, or 409 when stock is short.
 */
class HttpInventoryClient implements InventoryClient, AutoCloseable {

	static final String RESERVATION = "/api/inventory/reservations/{id}";

	private static final Logger log = LoggerFactory.getLogger(HttpInventoryClient.class);

	private final HttpClient http;

	private final RestClient rest;

	private final InventoryCallGuard guard;

	private final Duration readTimeout;

	HttpInventoryClient(HttpClient http, RestClient.Builder rest, InventoryProperties properties,
			InventoryCallGuard guard) {
		this.http = http;
		JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory(http);
		requests.setReadTimeout(properties.readTimeout());
		this.rest = rest.baseUrl(required(properties.baseUrl()).toString()).requestFactory(requests).build();
		this.guard = guard;
		this.readTimeout = properties.readTimeout();
	}

	/**
	 * The JDK client with the connect timeout. HTTP/1.1, because the JDK would otherwise
	 * try an h2c upgrade on every new plain-text connection; no redirects, because a
	 * reservation that moved is a configuration error to see, not to follow.
	 */
	static HttpClient httpClient(InventoryProperties properties) {
		return HttpClient.newBuilder()
			.connectTimeout(properties.connectTimeout())
			.version(HttpClient.Version.HTTP_1_1)
			.followRedirects(HttpClient.Redirect.NEVER)
			.build();
	}

	@Override
	public void reserve(Reservation reservation) {
		if (TransactionSynchronizationManager.isActualTransactionActive()) {
			throw new IllegalStateException("Inventory is called inside a database transaction: a slow inventory "
					+ "would hold a pooled connection for the whole call. Reserve before the transaction starts.");
		}
		try {
			guard.idempotent(() -> put(reservation));
		}
		catch (HttpClientErrorException.Conflict ex) {
			throw new InsufficientStockException(reservation.sku(), reservation.quantity());
		}
		catch (HttpClientErrorException ex) {
			log.error("Inventory rejected reservation {} with {}: the two services disagree on the API",
					reservation.id(), ex.getStatusCode());
			throw new InventoryRejectedException(ex.getStatusCode());
		}
	}

	private ReservationResponse put(Reservation reservation) {
		long started = System.nanoTime();
		try {
			ReservationResponse response = rest.put()
				.uri(RESERVATION, reservation.id())
				.contentType(MediaType.APPLICATION_JSON)
				.body(new ReservationRequest(reservation.sku(), reservation.quantity()))
				.retrieve()
				.body(ReservationResponse.class);
			if (response == null || !reservation.id().equals(response.id())) {
				throw new RestClientException("The inventory answered a reservation without its id");
			}
			return response;
		}
		catch (RestClientException ex) {
			throw timedOut(ex, started);
		}
	}

	/**
	 * When the deadline passes while the body is being read, Spring closes the stream and
	 * the failure surfaces as an unreadable body. Name it for what it is: a timeout.
	 */
	private RestClientException timedOut(RestClientException ex, long started) {
		if (ex instanceof RestClientResponseException || InventoryFailures.isTimeout(ex)
				|| Duration.ofNanos(System.nanoTime() - started).compareTo(readTimeout) < 0) {
			return ex;
		}
		ResourceAccessException timeout = new ResourceAccessException(
				"The inventory did not finish its response within the read timeout",
				new HttpTimeoutException("read timeout " + readTimeout.toMillis() + " ms"));
		timeout.addSuppressed(ex);
		return timeout;
	}

	@Override
	public void close() {
		http.shutdownNow();
	}

	private static <T> T required(@Nullable T value) {
		if (value == null) {
			throw new IllegalStateException("app.inventory.base-url is required");
		}
		return value;
	}

	record ReservationRequest(String sku, int quantity) {
	}

	record ReservationResponse(@Nullable UUID id) {
	}

}
