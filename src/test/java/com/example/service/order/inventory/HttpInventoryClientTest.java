package com.example.service.order.inventory;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.github.tomakehurst.wiremock.http.Fault;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.retry.RetryRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.http.HttpHeaders;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.web.client.RestClient;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The inventory client with its real HTTP stack (RestClient on the JDK HttpClient) and
 * real Resilience4j objects, against a real HTTP stub that injects faults. No Spring
 * context: each test gets fresh registries.
 */
class HttpInventoryClientTest {

	static final Duration READ_TIMEOUT = Duration.ofMillis(500);

	static final Duration BUDGET = Duration.ofMillis(2000);

	static final Duration OPEN = Duration.ofMillis(800);

	private static InventoryStub inventory;

	private final MeterRegistry meters = new SimpleMeterRegistry();

	private InventoryProperties properties;

	private InventoryCallGuard guard;

	private HttpInventoryClient client;

	/** Unique per test, so that requests are counted per test. */
	private final String sku = "SKU-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase(Locale.ROOT);

	/**
	 * Starts the stub and warms up both HTTP stacks, so that no test's first call pays
	 * for class loading with its read timeout.
	 */
	@BeforeAll
	static void startStub() {
		inventory = new InventoryStub();
		InventoryProperties patient = properties(inventory.baseUrl(), Duration.ofSeconds(5), Duration.ofSeconds(20));
		InventoryCallGuard guard = InventoryCallGuard.create(patient, CircuitBreakerRegistry.ofDefaults(),
				BulkheadRegistry.ofDefaults(), RetryRegistry.ofDefaults(), new SimpleMeterRegistry());
		try (HttpInventoryClient warmUp = new HttpInventoryClient(HttpInventoryClient.httpClient(patient),
				RestClient.builder(), patient, guard)) {
			for (int i = 0; i < 3; i++) {
				inventory.reserves();
				warmUp.reserve(new Reservation(UUID.randomUUID(), "WARM-UP", 1));
				inventory.answers(409);
				catchThrowable(() -> warmUp.reserve(new Reservation(UUID.randomUUID(), "WARM-UP", 1)));
			}
		}
	}

	@AfterAll
	static void stopStub() {
		inventory.close();
	}

	@BeforeEach
	void createClient() {
		inventory.reset();
		properties = properties(inventory.baseUrl());
		guard = InventoryCallGuard.create(properties, CircuitBreakerRegistry.ofDefaults(),
				BulkheadRegistry.ofDefaults(), RetryRegistry.ofDefaults(), meters);
		client = new HttpInventoryClient(HttpInventoryClient.httpClient(properties), RestClient.builder(), properties,
				guard);
	}

	@AfterEach
	void closeClient() {
		client.close();
	}

	/**
	 * Small numbers so the suite stays quick: 3 attempts of 500 ms, backoff 20 ms x 2
	 * with jitter 0.5, a circuit that opens after 4 calls at 50 % failures and stays open
	 * 800 ms, a bulkhead of 2.
	 */
	static InventoryProperties properties(String baseUrl) {
		return properties(baseUrl, READ_TIMEOUT, BUDGET);
	}

	private static InventoryProperties properties(String baseUrl, Duration readTimeout, Duration budget) {
		return new InventoryProperties(true, URI.create(baseUrl), Duration.ofMillis(100), readTimeout, budget,
				Duration.ofSeconds(2),
				new InventoryProperties.RetrySettings(3, Duration.ofMillis(20), 2, 0.5, Duration.ofMillis(200)),
				new InventoryProperties.CircuitBreakerSettings(50, 4, 4, OPEN, 2),
				new InventoryProperties.BulkheadSettings(2));
	}

	@Test
	void reservesWithAnIdempotentPutToTheCallersId() {
		inventory.reserves();
		Reservation reservation = new Reservation(UUID.randomUUID(), sku, 3);
		client.reserve(reservation);
		inventory.server()
			.verify(1, putRequestedFor(urlEqualTo("/api/inventory/reservations/" + reservation.id()))
				.withRequestBody(equalToJson("{\"sku\":\"" + sku + "\",\"quantity\":3}")));
		assertThat(calls("success")).isEqualTo(1);
	}

	@Test
	void notEnoughStockIsAnAnswerNeitherRetriedNorAFailure() {
		inventory.answers(409);
		for (int i = 0; i < 6; i++) {
			assertThatExceptionOfType(InsufficientStockException.class).isThrownBy(this::reserve)
				.satisfies((ex) -> assertThat(ex.getStatusCode().value()).isEqualTo(409));
		}
		assertThat(inventory.reservationRequests(sku)).isEqualTo(6);
		assertThat(guard.circuitBreaker().getState()).isEqualTo(CircuitBreaker.State.CLOSED);
		assertThat(guard.circuitBreaker().getMetrics().getNumberOfFailedCalls()).isZero();
	}

	@ParameterizedTest
	@ValueSource(ints = { 400, 404, 422 })
	void anotherRefusalIsABadGatewayNotRetried(int status) {
		inventory.answers(status);
		assertThatExceptionOfType(InventoryRejectedException.class).isThrownBy(this::reserve)
			.satisfies((ex) -> assertThat(ex.getStatusCode().value()).isEqualTo(502));
		assertThat(inventory.reservationRequests(sku)).isEqualTo(1);
		assertThat(guard.circuitBreaker().getMetrics().getNumberOfFailedCalls()).isZero();
	}

	@ParameterizedTest
	@ValueSource(ints = { 502, 503, 504 })
	void retriesTransientStatusesThenAnswersServiceUnavailable(int status) {
		inventory.answers(status);
		expectUnavailable("2");
		assertThat(inventory.reservationRequests(sku)).isEqualTo(3);
		assertThat(calls("failure")).isEqualTo(1);
	}

	@Test
	void doesNotRetryAnInternalServerError() {
		inventory.answers(500);
		expectUnavailable("2");
		assertThat(inventory.reservationRequests(sku)).isEqualTo(1);
	}

	@ParameterizedTest
	@EnumSource(value = Fault.class, names = { "CONNECTION_RESET_BY_PEER", "MALFORMED_RESPONSE_CHUNK",
			"RANDOM_DATA_THEN_CLOSE", "EMPTY_RESPONSE" })
	void retriesBrokenResponsesThenAnswersServiceUnavailable(Fault fault) {
		inventory.fails(fault);
		expectUnavailable("2");
		assertThat(inventory.reservationRequests(sku)).isEqualTo(3);
		assertThat(calls("failure") + calls("timeout")).isEqualTo(1);
	}

	@Test
	void recoversWhenARetrySucceeds() {
		UUID id = UUID.randomUUID();
		String path = "/api/inventory/reservations/" + id;
		inventory.server()
			.stubFor(put(urlEqualTo(path)).inScenario("flaky")
				.whenScenarioStateIs(STARTED)
				.willReturn(aResponse().withStatus(503))
				.willSetStateTo("recovered"));
		inventory.server()
			.stubFor(put(urlEqualTo(path)).inScenario("flaky")
				.whenScenarioStateIs("recovered")
				.willReturn(aResponse().withStatus(200)
					.withHeader("Content-Type", "application/json")
					.withBody("{\"id\":\"" + id + "\"}")));
		client.reserve(new Reservation(id, sku, 1));
		assertThat(inventory.reservationRequests(sku)).isEqualTo(2);
		assertThat(calls("success")).isEqualTo(1);
	}

	@Test
	void neverRetriesACallThatIsNotIdempotent() {
		inventory.server()
			.stubFor(post(urlEqualTo("/api/inventory/movements")).willReturn(aResponse().withStatus(503)));
		RestClient rest = RestClient.create(inventory.baseUrl());
		Runnable post = () -> rest.post().uri("/api/inventory/movements").retrieve().toBodilessEntity();
		assertThatExceptionOfType(InventoryUnavailableException.class).isThrownBy(() -> guard.once(() -> {
			post.run();
			return null;
		}));
		inventory.server().verify(1, postRequestedFor(urlEqualTo("/api/inventory/movements")));
		assertThatExceptionOfType(InventoryUnavailableException.class).isThrownBy(() -> guard.idempotent(() -> {
			post.run();
			return null;
		}));
		inventory.server().verify(1 + 3, postRequestedFor(urlEqualTo("/api/inventory/movements")));
	}

	@Test
	void aHungInventoryCostsAtMostTheBudget() {
		inventory.hangs();
		long started = System.nanoTime();
		expectUnavailable("2");
		Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
		assertThat(inventory.reservationRequests(sku)).isEqualTo(3);
		assertThat(calls("timeout")).isEqualTo(1);
		System.out.printf("[inventory] hung stub (%d ms delay): 503 after %d ms; worst case %d ms, budget %d ms%n",
				InventoryStub.HUNG.toMillis(), elapsed.toMillis(), properties.worstCase().toMillis(),
				BUDGET.toMillis());
		assertThat(elapsed).isGreaterThanOrEqualTo(READ_TIMEOUT.multipliedBy(3))
			.isLessThanOrEqualTo(properties.worstCase())
			.isLessThan(BUDGET);
	}

	@Test
	void theReadTimeoutAlsoCutsOffABodyThatTrickles() {
		inventory.dribbles();
		long started = System.nanoTime();
		expectUnavailable("2");
		Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
		assertThat(calls("timeout")).isEqualTo(1);
		assertThat(elapsed).as("three attempts, each cut off at the read timeout")
			.isGreaterThanOrEqualTo(READ_TIMEOUT.multipliedBy(3))
			.isLessThan(BUDGET);
	}

	@Test
	void circuitOpensAfterFailuresHalfOpensAfterTheWaitAndClosesAfterSuccesses() throws Exception {
		inventory.answers(500);
		for (int i = 0; i < 4; i++) {
			expectUnavailable("2");
		}
		assertThat(guard.circuitBreaker().getState()).isEqualTo(CircuitBreaker.State.OPEN);

		InventoryUnavailableException open = expectUnavailable("1");
		assertThat(open.getStatusCode().value()).isEqualTo(503);
		assertThat(inventory.reservationRequests(sku)).as("an open circuit calls nothing").isEqualTo(4);
		assertThat(calls("circuit_open")).isEqualTo(1);

		inventory.reset();
		inventory.reserves();
		Thread.sleep(OPEN.plusMillis(100).toMillis());
		reserve();
		assertThat(guard.circuitBreaker().getState()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
		reserve();
		assertThat(guard.circuitBreaker().getState()).isEqualTo(CircuitBreaker.State.CLOSED);
		assertThat(inventory.reservationRequests(sku)).isEqualTo(2);
	}

	@Test
	void aFailedTrialCallOpensTheCircuitAgain() throws Exception {
		guard.circuitBreaker().transitionToOpenState();
		Thread.sleep(OPEN.plusMillis(100).toMillis());
		inventory.answers(500);
		expectUnavailable("2");
		assertThat(guard.circuitBreaker().getState()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
		expectUnavailable("2");
		assertThat(guard.circuitBreaker().getState()).isEqualTo(CircuitBreaker.State.OPEN);
	}

	@Test
	void bulkheadRejectsAtOnceWhenFull() throws Exception {
		inventory.reservesSlowly(Duration.ofMillis(200));
		try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
			Future<?> first = pool.submit(this::reserve);
			Future<?> second = pool.submit(this::reserve);
			while (inventory.reservationRequests(sku) < 2) {
				Thread.sleep(5);
			}
			long started = System.nanoTime();
			expectUnavailable("2");
			assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(100));
			first.get();
			second.get();
		}
		assertThat(calls("rejected")).isEqualTo(1);
		assertThat(calls("success")).isEqualTo(2);
		assertThat(inventory.reservationRequests(sku)).isEqualTo(2);
	}

	@Test
	void refusesToCallInsideATransaction() {
		inventory.reserves();
		TransactionSynchronizationManager.setActualTransactionActive(true);
		try {
			assertThatExceptionOfType(IllegalStateException.class).isThrownBy(this::reserve)
				.withMessageContaining("inside a database transaction");
		}
		finally {
			TransactionSynchronizationManager.setActualTransactionActive(false);
		}
		assertThat(inventory.reservationRequests(sku)).isZero();
	}

	@Test
	void aResponseWithoutTheReservationIsAFailure() {
		inventory.answers(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("{}"));
		expectUnavailable("2");
		assertThat(inventory.reservationRequests(sku)).as("a wrong answer is not retried").isEqualTo(1);
	}

	private void reserve() {
		client.reserve(new Reservation(UUID.randomUUID(), sku, 1));
	}

	private InventoryUnavailableException expectUnavailable(String retryAfter) {
		InventoryUnavailableException ex = catchThrowableOfType(InventoryUnavailableException.class, this::reserve);
		assertThat(ex).as("InventoryUnavailableException").isNotNull();
		assertThat(ex.getStatusCode().value()).isEqualTo(503);
		assertThat(ex.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo(retryAfter);
		return ex;
	}

	private double calls(String outcome) {
		return meters.get("inventory.calls").tag("outcome", outcome).counter().count();
	}

}
