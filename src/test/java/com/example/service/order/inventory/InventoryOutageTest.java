package com.example.service.order.inventory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Stream;

import com.example.service.testsupport.TestApiKeys;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.springboot.circuitbreaker.monitoring.health.CircuitBreakersHealthIndicator;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole service, over real HTTP, with the inventory client on and pointed at a real
 * HTTP stub: what an API client sees when the inventory hangs, refuses or is cut off by
 * an open circuit, and what the probes and Prometheus see meanwhile. The embedded
 * database of the local profile is enough here.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "management.server.port=0", "app.inventory.enabled=true", "app.inventory.connect-timeout=100ms",
				"app.inventory.read-timeout=500ms", "app.inventory.budget=2s",
				"app.inventory.retry.initial-backoff=20ms", "app.inventory.retry.max-backoff=200ms",
				"app.inventory.circuit-breaker.sliding-window-size=4",
				"app.inventory.circuit-breaker.minimum-number-of-calls=4",
				"app.inventory.circuit-breaker.wait-duration-in-open-state=30s",
				// An embedded database of its own: the local profile's is shared by every
				// context in the JVM.
				"spring.datasource.url=jdbc:h2:mem:inventory-outage;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
						+ "DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1" })
@ActiveProfiles("local")
class InventoryOutageTest {

	private static final Duration BUDGET = Duration.ofSeconds(2);

	private static final InventoryStub inventory = new InventoryStub();

	private final HttpClient http = HttpClient.newHttpClient();

	private final String sku = "SKU-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase(Locale.ROOT);

	@LocalServerPort
	private int port;

	@LocalManagementPort
	private int managementPort;

	@Autowired
	private CircuitBreakerRegistry circuitBreakers;

	@Autowired
	private JdbcClient jdbc;

	@Autowired
	private HealthContributorRegistry healthContributors;

	@DynamicPropertySource
	static void inventory(DynamicPropertyRegistry registry) {
		registry.add("app.inventory.base-url", inventory::baseUrl);
	}

	@AfterAll
	static void stopInventory() {
		inventory.close();
	}

	private static boolean warm;

	/**
	 * One order through the whole stack first, so that no test's first call pays for
	 * class loading with its read timeout; then a closed circuit and a clean stub.
	 */
	@BeforeEach
	void warmUpAndCloseTheCircuit() throws Exception {
		if (!warm) {
			inventory.reserves();
			for (int i = 0; i < 3; i++) {
				placeOrder("WARM-UP", null);
			}
			warm = true;
		}
		inventory.reset();
		circuitBreakers.circuitBreaker("inventory").reset();
	}

	@Test
	void aHungInventoryGetsServiceUnavailableWithinTheBudget() throws Exception {
		inventory.hangs();
		long started = System.nanoTime();
		HttpResponse<String> response = placeOrder(null);
		Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
		System.out.printf("[inventory] POST /api/v1/orders, inventory hung for %d ms: %d after %d ms (budget %d ms)%n",
				InventoryStub.HUNG.toMillis(), response.statusCode(), elapsed.toMillis(), BUDGET.toMillis());
		assertProblem(response, 503);
		assertThat(response.headers().firstValue("Retry-After")).contains("2");
		assertThat(elapsed).isLessThan(BUDGET);
		assertThat(inventory.reservationRequests(sku)).as("three attempts of an idempotent PUT").isEqualTo(3);
		assertThat(ordersWithSku()).isZero();
	}

	/**
	 * The client test proves each fault becomes an exception; this proves none of them
	 * escapes the web layer as a 500 on the way to the API client, and that only the
	 * transient ones cost retries.
	 */
	@ParameterizedTest
	@MethodSource("brokenInventories")
	void aBrokenInventoryGetsServiceUnavailableNeverAnInternalError(ResponseDefinitionBuilder answer, int attempts)
			throws Exception {
		inventory.answers(answer);
		HttpResponse<String> response = placeOrder(null);
		assertProblem(response, 503);
		assertThat(response.headers().firstValue("Retry-After")).contains("2");
		assertThat(response.body()).contains("Stock cannot be reserved right now");
		assertThat(inventory.reservationRequests(sku)).as("attempts").isEqualTo(attempts);
		assertThat(ordersWithSku()).isZero();
	}

	static Stream<Arguments> brokenInventories() {
		return Stream.of(
				Arguments.of(Named.of("connection reset", aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)), 3),
				Arguments.of(Named.of("random data, then close", aResponse().withFault(Fault.RANDOM_DATA_THEN_CLOSE)),
						3),
				Arguments.of(Named.of("500", problem(500)), 1), Arguments.of(Named.of("503", problem(503)), 3),
				Arguments.of(Named.of("200 with an HTML page", ok("text/html", "<html><body>Down</body></html>")), 1),
				Arguments.of(Named.of("200 with truncated JSON", ok("application/json", "{\"id\":\"0b9c6f3e-4d0e")), 1),
				Arguments.of(Named.of("200 with a body that is not JSON", ok("application/json", "OK")), 1));
	}

	private static ResponseDefinitionBuilder problem(int status) {
		return aResponse().withStatus(status)
			.withHeader("Content-Type", "application/problem+json")
			.withBody("{\"status\":" + status + "}");
	}

	private static ResponseDefinitionBuilder ok(String contentType, String body) {
		return aResponse().withStatus(200).withHeader("Content-Type", contentType).withBody(body);
	}

	@Test
	void notEnoughStockIsAConflict() throws Exception {
		inventory.answers(409);
		HttpResponse<String> response = placeOrder(null);
		assertProblem(response, 409);
		assertThat(response.body()).contains("Not enough stock of " + sku);
		assertThat(inventory.reservationRequests(sku)).isEqualTo(1);
		assertThat(ordersWithSku()).isZero();
	}

	@Test
	void aReplayDoesNotReserveAgainAndTheOrderIsTheReservation() throws Exception {
		inventory.reserves();
		String key = UUID.randomUUID().toString();
		HttpResponse<String> first = placeOrder(key);
		HttpResponse<String> replay = placeOrder(key);
		assertThat(first.statusCode()).isEqualTo(201);
		assertThat(replay.statusCode()).isEqualTo(201);
		String location = first.headers().firstValue("Location").orElseThrow();
		assertThat(replay.headers().firstValue("Location")).contains(location);
		assertThat(inventory.reservationRequests(sku)).isEqualTo(1);
		String orderId = location.substring(location.lastIndexOf('/') + 1);
		assertThat(inventory.server().getAllServeEvents().get(0).getRequest().getUrl())
			.isEqualTo("/api/inventory/reservations/" + orderId);
		assertThat(ordersWithSku()).isOne();
	}

	@Test
	void anOpenCircuitAnswersAtOnceWithItsWaitAndTheServiceStaysReady() throws Exception {
		inventory.reserves();
		circuitBreakers.circuitBreaker("inventory").transitionToOpenState();
		long started = System.nanoTime();
		HttpResponse<String> response = placeOrder(null);
		Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
		assertProblem(response, 503);
		assertThat(response.headers().firstValue("Retry-After")).hasValueSatisfying(
				(seconds) -> assertThat(Integer.parseInt(seconds)).as("time left of 30 s open").isBetween(28, 30));
		assertThat(elapsed).isLessThan(Duration.ofMillis(500));
		assertThat(inventory.reservationRequests(sku)).isZero();

		assertThat(get(port, "/readyz").statusCode()).isEqualTo(200);
		assertThat(get(port, "/livez").statusCode()).isEqualTo(200);
		HttpResponse<String> health = get(managementPort, "/actuator/health");
		assertThat(health.statusCode()).isEqualTo(200);
		assertThat(health.body()).contains("\"UP\"");
		// The endpoint shows no components, so only the registry can tell whether
		// Resilience4j's indicator, which can report DOWN while the circuit is open, is
		// there.
		assertThat(healthContributors.stream())
			.noneMatch((entry) -> entry.name().toLowerCase(Locale.ROOT).contains("circuit")
					|| entry.contributor() instanceof CircuitBreakersHealthIndicator);

		String metrics = get(managementPort, "/actuator/prometheus").body();
		assertThat(metrics)
			.containsPattern(
					"resilience4j_circuitbreaker_state\\{[^}]*name=\"inventory\"[^}]*" + "state=\"open\"[^}]*\\} 1\\.0")
			.containsPattern("inventory_calls_total\\{[^}]*outcome=\"circuit_open\"[^}]*\\} [1-9]")
			.containsPattern("resilience4j_bulkhead_max_allowed_concurrent_calls\\{[^}]*name=\"inventory\"")
			.containsPattern("resilience4j_retry_calls_total\\{[^}]*name=\"inventory\"");
		assertThat(circuitBreakers.circuitBreaker("inventory").getState()).isEqualTo(CircuitBreaker.State.OPEN);
	}

	@Test
	void outboundCallsAreMeasuredByUriTemplate() throws Exception {
		inventory.reserves();
		assertThat(placeOrder(null).statusCode()).isEqualTo(201);
		assertThat(get(managementPort, "/actuator/prometheus").body()).containsPattern(
				"http_client_requests_seconds_count\\{[^}]*uri=\"/api/inventory/reservations/\\{id\\}\"[^}]*\\} [1-9]");
	}

	private void assertProblem(HttpResponse<String> response, int status) {
		assertThat(response.statusCode()).isEqualTo(status);
		assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
	}

	private int ordersWithSku() {
		return jdbc.sql("select count(*) from orders where sku = ?").param(sku).query(Integer.class).single();
	}

	private HttpResponse<String> placeOrder(@Nullable String idempotencyKey) throws Exception {
		return placeOrder(sku, idempotencyKey);
	}

	/**
	 * The one place that builds API requests: with the local profile's development key.
	 */
	private HttpResponse<String> placeOrder(String sku, @Nullable String idempotencyKey) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/orders"))
			.header("Content-Type", "application/json")
			.header(TestApiKeys.HEADER, TestApiKeys.LOCAL_KEY)
			.POST(HttpRequest.BodyPublishers.ofString("{\"sku\":\"" + sku + "\",\"quantity\":2}"));
		if (idempotencyKey != null) {
			request.header("Idempotency-Key", idempotencyKey);
		}
		return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> get(int port, String path) throws Exception {
		return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

}
