package com.example.service.order.inventory;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.RestClientException;

/**
 * Runs inventory calls behind a bulkhead, a retry (idempotent calls only) and the
 * {@code inventory} circuit breaker, in that order from the outside in:
 * {@code Bulkhead(Retry(CircuitBreaker(call)))}. The bulkhead is outermost so that it
 * bounds the request threads tied up by the inventory, backoff included; the circuit
 * breaker is innermost so that it judges every attempt. Availability failures leave as
 * {@link InventoryUnavailableException}; a 4xx leaves as it came, for the caller to
 * interpret. Every call is counted once in {@code inventory.calls}.
 */
final class InventoryCallGuard {

	static final String NAME = "inventory";

	private static final Logger log = LoggerFactory.getLogger(InventoryCallGuard.class);

	enum Outcome {

		SUCCESS, FAILURE, TIMEOUT, REJECTED, CIRCUIT_OPEN

	}

	private final CircuitBreaker circuitBreaker;

	private final Bulkhead bulkhead;

	private final Retry retry;

	private final Duration retryAfter;

	private final Duration openDuration;

	private final Map<Outcome, Counter> calls = new EnumMap<>(Outcome.class);

	private final AtomicLong openedAt = new AtomicLong(System.nanoTime());

	private InventoryCallGuard(CircuitBreaker circuitBreaker, Bulkhead bulkhead, Retry retry,
			InventoryProperties properties, MeterRegistry meters) {
		this.circuitBreaker = circuitBreaker;
		this.bulkhead = bulkhead;
		this.retry = retry;
		this.retryAfter = properties.retryAfter();
		this.openDuration = properties.circuitBreaker().waitDurationInOpenState();
		for (Outcome outcome : Outcome.values()) {
			this.calls.put(outcome,
					Counter.builder("inventory.calls")
						.description("Calls to the inventory service, retries included, by what the caller saw")
						.tag("outcome", outcome.name().toLowerCase(Locale.ROOT))
						.register(meters));
		}
		circuitBreaker.getEventPublisher().onStateTransition((event) -> {
			if (event.getStateTransition().getToState() == CircuitBreaker.State.OPEN) {
				this.openedAt.set(System.nanoTime());
			}
			log.warn("Inventory circuit breaker: {}", event.getStateTransition());
		});
	}

	/**
	 * Creates the guard's Resilience4j objects in the given registries, so that
	 * Resilience4j's own metrics (resilience4j_circuitbreaker_state and so on) see them.
	 * @throws IllegalStateException if an {@code inventory} instance was already
	 * configured through {@code resilience4j.*} properties, which would silently win
	 */
	static InventoryCallGuard create(InventoryProperties properties, CircuitBreakerRegistry circuitBreakers,
			BulkheadRegistry bulkheads, RetryRegistry retries, MeterRegistry meters) {
		if (circuitBreakers.find(NAME).isPresent() || bulkheads.find(NAME).isPresent()
				|| retries.find(NAME).isPresent()) {
			throw new IllegalStateException("Configure the inventory client with app.inventory.*, not with "
					+ "resilience4j.*.instances." + NAME + ": startup checks those settings against the time budget.");
		}
		return new InventoryCallGuard(circuitBreakers.circuitBreaker(NAME, circuitBreakerConfig(properties)),
				bulkheads.bulkhead(NAME, bulkheadConfig(properties)), retries.retry(NAME, retryConfig(properties)),
				properties, meters);
	}

	/**
	 * For a call that the inventory can deduplicate (a PUT to an id the caller chose):
	 * retried on transient failures.
	 */
	<T> T idempotent(Supplier<T> call) {
		return run(Bulkhead.decorateSupplier(bulkhead,
				Retry.decorateSupplier(retry, CircuitBreaker.decorateSupplier(circuitBreaker, call))));
	}

	/**
	 * For a call that would act twice if repeated (a POST that creates something): never
	 * retried, since a timeout does not tell whether the first attempt took effect.
	 */
	<T> T once(Supplier<T> call) {
		return run(Bulkhead.decorateSupplier(bulkhead, CircuitBreaker.decorateSupplier(circuitBreaker, call)));
	}

	CircuitBreaker circuitBreaker() {
		return circuitBreaker;
	}

	private <T> T run(Supplier<T> guarded) {
		try {
			T result = guarded.get();
			count(Outcome.SUCCESS);
			return result;
		}
		catch (HttpClientErrorException answer) {
			count(Outcome.SUCCESS);
			throw answer;
		}
		catch (CallNotPermittedException ex) {
			count(Outcome.CIRCUIT_OPEN);
			throw new InventoryUnavailableException(untilHalfOpen());
		}
		catch (BulkheadFullException ex) {
			count(Outcome.REJECTED);
			// Not WARN: under overload every rejected request would add a log line.
			log.debug("Inventory call rejected: {} calls already in flight",
					bulkhead.getBulkheadConfig().getMaxConcurrentCalls());
			throw new InventoryUnavailableException(retryAfter);
		}
		catch (RestClientException ex) {
			Outcome outcome = InventoryFailures.isTimeout(ex) ? Outcome.TIMEOUT : Outcome.FAILURE;
			count(outcome);
			log.warn("Inventory call failed ({}): {}", outcome, describe(ex));
			throw new InventoryUnavailableException(retryAfter);
		}
		catch (RuntimeException bug) {
			count(Outcome.FAILURE);
			throw bug;
		}
	}

	/**
	 * Time left in the open state, or a second when half-open trial calls are all taken.
	 */
	private Duration untilHalfOpen() {
		if (circuitBreaker.getState() != CircuitBreaker.State.OPEN) {
			return Duration.ofSeconds(1);
		}
		Duration elapsed = Duration.ofNanos(System.nanoTime() - openedAt.get());
		return openDuration.minus(elapsed);
	}

	private void count(Outcome outcome) {
		calls.get(outcome).increment();
	}

	/** Exception types and messages of the chain: no response bodies, no stack trace. */
	private static String describe(Throwable failure) {
		StringBuilder description = new StringBuilder();
		for (Throwable cause = failure; cause != null && description.length() < 500; cause = cause.getCause()) {
			if (!description.isEmpty()) {
				description.append(" <- ");
			}
			description.append(cause.getClass().getSimpleName());
			if (cause.getMessage() != null && !(cause instanceof RestClientException)) {
				description.append(": ").append(cause.getMessage());
			}
			if (cause.getCause() == cause) {
				break;
			}
		}
		return description.toString();
	}

	private static CircuitBreakerConfig circuitBreakerConfig(InventoryProperties properties) {
		InventoryProperties.CircuitBreakerSettings settings = properties.circuitBreaker();
		return CircuitBreakerConfig.custom()
			.slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
			.slidingWindowSize(settings.slidingWindowSize())
			.minimumNumberOfCalls(settings.minimumNumberOfCalls())
			.failureRateThreshold(settings.failureRateThreshold())
			.waitDurationInOpenState(settings.waitDurationInOpenState())
			.permittedNumberOfCallsInHalfOpenState(settings.permittedCallsInHalfOpenState())
			.recordException(InventoryFailures::countsAgainstTheCircuit)
			.build();
	}

	private static BulkheadConfig bulkheadConfig(InventoryProperties properties) {
		return BulkheadConfig.custom()
			.maxConcurrentCalls(properties.bulkhead().maxConcurrentCalls())
			.maxWaitDuration(Duration.ZERO)
			.build();
	}

	private static RetryConfig retryConfig(InventoryProperties properties) {
		InventoryProperties.RetrySettings settings = properties.retry();
		return RetryConfig.custom()
			.maxAttempts(settings.maxAttempts())
			.intervalFunction(IntervalFunction.ofExponentialRandomBackoff(settings.initialBackoff(),
					settings.multiplier(), settings.jitter(), settings.maxBackoff()))
			.retryOnException(InventoryFailures::isRetryable)
			.build();
	}

}
