package com.example.service.order;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.example.service.testsupport.LocalServer;
import com.example.service.testsupport.TestApiKeys;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What clients and operators see of the orders API besides its answers: every refusal in
 * the OpenAPI document, and the business counter on the Prometheus scrape. The machinery
 * tests check what every endpoint gets; this is what the feature declares itself.
 */
// An embedded database of its own: orders written here must not show up in other test
// classes.
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = { "management.server.port=0",
		"spring.datasource.url=jdbc:h2:mem:order-contract;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1" })
@ActiveProfiles("local")
class OrderApiContractTest {

	private static final Pattern PLACED = Pattern.compile("(?m)^orders_placed_total\\{[^}]*} (\\S+)$");

	@LocalServerPort
	private int port;

	@LocalManagementPort
	private int managementPort;

	private LocalServer api;

	@BeforeEach
	void connect() {
		api = new LocalServer(port);
	}

	@Test
	void documentsEveryRefusalOfEachOperation() throws Exception {
		HttpResponse<String> response = api.get("/api/openapi", TestApiKeys.HEADER, TestApiKeys.LOCAL_KEY);
		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode paths = JsonMapper.builder().build().readTree(response.body()).get("paths");

		JsonNode place = paths.at("/~1api~1v1~1orders/post");
		assertThat(names(place.get("responses"))).contains("201", "400", "401", "409", "413", "422", "429", "500",
				"502", "503");
		assertThat(parameters(place)).contains("Idempotency-Key");

		JsonNode cancel = paths.at("/~1api~1v1~1orders~1{id}~1cancel/post");
		assertThat(names(cancel.get("responses"))).contains("200", "401", "404", "409", "412", "428", "429", "503");
		assertThat(parameters(cancel)).contains("If-Match");

		assertThat(names(paths.at("/~1api~1v1~1orders~1{id}/get/responses"))).contains("200", "304", "401", "404",
				"429", "503");
		assertThat(names(paths.at("/~1api~1v1~1orders/get/responses"))).contains("200", "400", "401", "429", "503");
	}

	@Test
	void countsOrdersOnceTheyAreCommittedAndNotTheirReplays() throws Exception {
		double before = placed();
		String key = "metrics-" + System.nanoTime();
		for (int i = 0; i < 2; i++) {
			HttpResponse<String> response = api.send(api.request(OrderController.PATH)
				.header("Content-Type", "application/json")
				.header(TestApiKeys.HEADER, TestApiKeys.LOCAL_KEY)
				.header("Idempotency-Key", key)
				.POST(HttpRequest.BodyPublishers.ofString("{\"sku\":\"METRIC-1\",\"quantity\":1}")));
			assertThat(response.statusCode()).isEqualTo(201);
		}
		assertThat(placed()).isEqualTo(before + 1);
	}

	private double placed() throws Exception {
		Matcher sample = PLACED.matcher(new LocalServer(managementPort).get("/actuator/prometheus").body());
		assertThat(sample.find()).as("orders_placed_total on the scrape").isTrue();
		return Double.parseDouble(sample.group(1));
	}

	private static Set<String> parameters(JsonNode operation) {
		return operation.get("parameters")
			.valueStream()
			.map((parameter) -> parameter.get("name").asString())
			.collect(Collectors.toSet());
	}

	private static Set<String> names(JsonNode object) {
		assertThat(object.isMissingNode()).as("operation in the document").isFalse();
		return object.propertyNames().stream().collect(Collectors.toSet());
	}

}
