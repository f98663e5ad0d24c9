package com.example.service.order.inventory;

import java.net.URI;
import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMin;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The inventory client: where it is, how long one reservation may take, and how it fails.
 * Every number that decides how long a request thread can wait lives here, so that
 * startup can check the worst case against {@link #budget()} (docs/resilience.md).
 *
 * @param enabled call the inventory service; {@code false} (the local profile) reserves
 * every order without calling anything
 * @param baseUrl the inventory service, for example {@code http://inventory:8080};
 * required while enabled
 * @param connectTimeout how long to wait for a TCP connection; at most
 * {@code read-timeout}
 * @param readTimeout the deadline of one attempt, from sending the request to the last
 * byte of the response (Spring's JDK request factory enforces it over the whole exchange)
 * @param budget the longest a request thread may spend on one reservation, retries and
 * backoff included; startup fails unless the worst case fits
 * @param retryAfter the {@code Retry-After} sent when the inventory is failing or busy
 * (an open circuit sends the time left until it half-opens instead)
 * @param retry retries of idempotent calls
 * @param circuitBreaker when to stop calling a failing inventory
 * @param bulkhead how many request threads may wait on the inventory at once
 */
@Validated
@ConfigurationProperties(prefix = "app.inventory", ignoreUnknownFields = false)
record InventoryProperties(@DefaultValue("true") boolean enabled, @Nullable URI baseUrl,
		@DefaultValue("250ms") @NotNull @DurationMin(millis = 1) Duration connectTimeout,
		@DefaultValue("1s") @NotNull @DurationMin(millis = 1) Duration readTimeout,
		@DefaultValue("4s") @NotNull @DurationMin(millis = 1) Duration budget,
		@DefaultValue("2s") @NotNull @DurationMin(seconds = 1) Duration retryAfter,
		@DefaultValue @NotNull @Valid RetrySettings retry,
		@DefaultValue @NotNull @Valid CircuitBreakerSettings circuitBreaker,
		@DefaultValue @NotNull @Valid BulkheadSettings bulkhead) {

	InventoryProperties {
		if (enabled && baseUrl == null) {
			throw new IllegalArgumentException("app.inventory.base-url (APP_INVENTORY_BASE_URL) is required while "
					+ "app.inventory.enabled is true. Set it to the inventory service, for example "
					+ "http://inventory:8080, or set APP_INVENTORY_ENABLED=false to run without one.");
		}
		if (positive(connectTimeout) && positive(readTimeout) && connectTimeout.compareTo(readTimeout) > 0) {
			throw new IllegalArgumentException("app.inventory.connect-timeout (" + connectTimeout.toMillis()
					+ " ms) must not exceed app.inventory.read-timeout (" + readTimeout.toMillis()
					+ " ms): the read timeout is the deadline of the whole attempt, connecting included.");
		}
		if (positive(readTimeout) && positive(budget) && retry != null && retry.isValid()
				&& worstCase(readTimeout, retry).compareTo(budget) > 0) {
			throw new IllegalArgumentException("app.inventory: the worst case of one reservation is "
					+ retry.maxAttempts() + " attempts x (read-timeout " + readTimeout.toMillis() + " ms + "
					+ ATTEMPT_OVERHEAD.toMillis() + " ms overhead) + backoff " + retry.worstCaseBackoff().toMillis()
					+ " ms = " + worstCase(readTimeout, retry).toMillis() + " ms, over app.inventory.budget "
					+ budget.toMillis() + " ms. Lower read-timeout or "
					+ "retry.max-attempts, shorten the backoff, or raise the budget (docs/resilience.md).");
		}
	}

	/**
	 * What one attempt costs beyond its read timeout: the timer that enforces the
	 * deadline, waking the waiting thread, handling the failure. Measured at 5 to 30 ms
	 * on a busy 2-core machine; a long GC pause can still exceed it.
	 */
	static final Duration ATTEMPT_OVERHEAD = Duration.ofMillis(50);

	/**
	 * The longest a request thread can wait on one reservation: every attempt times out,
	 * and every backoff draws its largest jitter. Bulkhead rejections and an open circuit
	 * answer at once.
	 */
	Duration worstCase() {
		return worstCase(readTimeout, retry);
	}

	private static Duration worstCase(Duration readTimeout, RetrySettings retry) {
		return readTimeout.plus(ATTEMPT_OVERHEAD).multipliedBy(retry.maxAttempts()).plus(retry.worstCaseBackoff());
	}

	private static boolean positive(@Nullable Duration duration) {
		return duration != null && duration.isPositive();
	}

	/**
	 * Exponential backoff with jitter between attempts of an idempotent call.
	 *
	 * @param maxAttempts attempts in all, the first included; 1 turns retries off
	 * @param initialBackoff the wait before the first retry, before jitter
	 * @param multiplier how much each wait grows
	 * @param jitter randomization factor: each wait is drawn from
	 * {@code wait x (1 +- jitter)}, so that clients that failed together do not retry
	 * together
	 * @param maxBackoff the cap on one wait, jitter included
	 */
	record RetrySettings(@DefaultValue("3") @Min(1) @Max(10) int maxAttempts,
			@DefaultValue("100ms") @NotNull @DurationMin(millis = 1) Duration initialBackoff,
			@DefaultValue("2") @DecimalMin("1.0") double multiplier,
			@DefaultValue("0.5") @DecimalMin("0.0") @DecimalMax(value = "1.0", inclusive = false) double jitter,
			@DefaultValue("1s") @NotNull @DurationMin(millis = 1) Duration maxBackoff) {

		/**
		 * The sum of the longest waits Resilience4j's exponential random backoff can draw
		 * (it rounds each draw down; one millisecond is added per wait for safety).
		 */
		Duration worstCaseBackoff() {
			long total = 0;
			double interval = initialBackoff.toMillis();
			for (int retry = 1; retry < maxAttempts; retry++) {
				long longest = (long) Math.ceil(interval * (1 + jitter)) + 1;
				total += Math.min(longest, maxBackoff.toMillis());
				interval *= multiplier;
			}
			return Duration.ofMillis(total);
		}

		boolean isValid() {
			return maxAttempts >= 1 && positive(initialBackoff) && positive(maxBackoff) && multiplier >= 1
					&& jitter >= 0 && jitter < 1;
		}

	}

	/**
	 * A count-based circuit breaker named {@code inventory}. Failures are timeouts,
	 * connection errors, unreadable responses and 5xx; a 4xx is an answer from a healthy
	 * service and counts as a success.
	 *
	 * @param failureRateThreshold percentage of failed calls in the window that opens the
	 * circuit
	 * @param slidingWindowSize how many recent calls the rate is computed over
	 * @param minimumNumberOfCalls calls needed before the rate counts at all
	 * @param waitDurationInOpenState how long the circuit stays open before it lets trial
	 * calls through (half-open); also the {@code Retry-After} of an open circuit
	 * @param permittedCallsInHalfOpenState trial calls that decide between closing and
	 * opening again
	 */
	record CircuitBreakerSettings(@DefaultValue("50") @Min(1) @Max(100) int failureRateThreshold,
			@DefaultValue("20") @Min(1) int slidingWindowSize, @DefaultValue("10") @Min(1) int minimumNumberOfCalls,
			@DefaultValue("10s") @NotNull @DurationMin(millis = 1) Duration waitDurationInOpenState,
			@DefaultValue("3") @Min(1) int permittedCallsInHalfOpenState) {

	}

	/**
	 * A semaphore bulkhead that never queues: the call beyond the limit fails at once.
	 *
	 * @param maxConcurrentCalls request threads that may wait on the inventory at the
	 * same time; size it to the expected rate x the normal latency, with headroom
	 */
	record BulkheadSettings(@DefaultValue("20") @Min(1) int maxConcurrentCalls) {

	}

}
