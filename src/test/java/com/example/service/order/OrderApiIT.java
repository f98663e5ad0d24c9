package com.example.service.order;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.example.service.testsupport.RequiresPostgres;
import com.example.service.testsupport.TestApiKeys;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The orders API over real HTTP against PostgreSQL: the paths where the database's own
 * behaviour matters (unique keys under concurrency, optimistic locking, timestamps,
 * paging). The inventory is off here; InventoryOutageTest covers it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "management.server.port=0", "app.inventory.enabled=false" })
@RequiresPostgres
class OrderApiIT {

	private final HttpClient http = HttpClient.newHttpClient();

	private final JsonMapper json = JsonMapper.builder().build();

	@LocalServerPort
	private int port;

	@Autowired
	private JdbcClient jdbc;

	@Test
	void placesReadsAndCancelsAnOrder() throws Exception {
		String sku = uniqueSku();
		HttpResponse<String> placed = send(post("/api/v1/orders", body(sku, 2)));
		assertThat(placed.statusCode()).isEqualTo(201);
		String location = placed.headers().firstValue("Location").orElseThrow();

		HttpResponse<String> read = send(request(location).GET());
		assertThat(read.statusCode()).isEqualTo(200);
		assertThat(read.headers().firstValue("ETag")).contains("\"0\"");
		assertThat(json.readTree(read.body()).get("createdAt").asString())
			.isEqualTo(json.readTree(placed.body()).get("createdAt").asString());

		HttpResponse<String> stale = send(
				request(location + "/cancel").header("If-Match", "\"5\"").POST(HttpRequest.BodyPublishers.noBody()));
		assertThat(stale.statusCode()).isEqualTo(412);
		assertThat(stale.headers().firstValue("Content-Type")).contains("application/problem+json");

		HttpResponse<String> cancelled = send(
				request(location + "/cancel").header("If-Match", "\"0\"").POST(HttpRequest.BodyPublishers.noBody()));
		assertThat(cancelled.statusCode()).isEqualTo(200);
		assertThat(cancelled.headers().firstValue("ETag")).contains("\"1\"");

		HttpResponse<String> again = send(
				request(location + "/cancel").header("If-Match", "\"1\"").POST(HttpRequest.BodyPublishers.noBody()));
		assertThat(again.statusCode()).isEqualTo(409);
	}

	@Test
	void replaysARetriedRequestAndCreatesOneOrder() throws Exception {
		String sku = uniqueSku();
		String key = UUID.randomUUID().toString();
		HttpResponse<String> first = send(post("/api/v1/orders", body(sku, 1)).header("Idempotency-Key", key));
		HttpResponse<String> retry = send(post("/api/v1/orders", body(sku, 1)).header("Idempotency-Key", key));
		assertThat(retry.statusCode()).isEqualTo(201);
		assertThat(retry.headers().firstValue("Location")).isEqualTo(first.headers().firstValue("Location"));
		assertThat(json.readTree(retry.body())).isEqualTo(json.readTree(first.body()));
		assertThat(ordersWithSku(sku)).isEqualTo(1);

		HttpResponse<String> changed = send(post("/api/v1/orders", body(sku, 2)).header("Idempotency-Key", key));
		assertThat(changed.statusCode()).isEqualTo(422);
		assertThat(changed.headers().firstValue("Content-Type")).contains("application/problem+json");
		// Not the other 422 (a key whose response expired): the client must learn that
		// this key belongs to another request.
		assertThat(json.readTree(changed.body()).get("detail").asString())
			.contains("Idempotency-Key was already used with a different request")
			.contains("Use a new key");
		assertThat(ordersWithSku(sku)).isEqualTo(1);
	}

	@Test
	void concurrentRetriesCreateExactlyOneOrder() throws Exception {
		String sku = uniqueSku();
		String key = UUID.randomUUID().toString();
		List<Callable<HttpResponse<String>>> attempts = new ArrayList<>();
		for (int i = 0; i < 8; i++) {
			attempts.add(() -> send(post("/api/v1/orders", body(sku, 3)).header("Idempotency-Key", key)));
		}
		try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
			List<String> locations = new ArrayList<>();
			for (Future<HttpResponse<String>> result : pool.invokeAll(attempts)) {
				assertThat(result.get().statusCode()).isEqualTo(201);
				locations.add(result.get().headers().firstValue("Location").orElseThrow());
			}
			assertThat(locations).containsOnly(locations.get(0));
		}
		assertThat(ordersWithSku(sku)).isEqualTo(1);
	}

	@Test
	void refusesAKeyReusedAfterItsResponseExpired() throws Exception {
		String sku = uniqueSku();
		String key = UUID.randomUUID().toString();
		HttpResponse<String> first = send(post("/api/v1/orders", body(sku, 1)).header("Idempotency-Key", key));
		assertThat(first.statusCode()).isEqualTo(201);
		jdbc.sql("delete from idempotency_keys where idempotency_key = ?").param(key).update();
		HttpResponse<String> late = send(post("/api/v1/orders", body(sku, 1)).header("Idempotency-Key", key));
		assertThat(late.statusCode()).isEqualTo(422);
		assertThat(late.headers().firstValue("Content-Type")).contains("application/problem+json");
		assertThat(ordersWithSku(sku)).isEqualTo(1);
	}

	@Test
	void pagesNewestFirstWithinTheMaximumSize() throws Exception {
		String sku = uniqueSku();
		for (int i = 0; i < 3; i++) {
			send(post("/api/v1/orders", body(sku, i + 1)));
		}
		JsonNode page = json.readTree(send(request("/api/v1/orders?size=2").GET()).body());
		assertThat(page.get("content")).hasSize(2);
		assertThat(page.get("content").get(0).get("quantity").asInt()).isEqualTo(3);
		assertThat(send(request("/api/v1/orders?size=100000").GET()).statusCode()).isEqualTo(400);
	}

	@Test
	void answersBadInputWithProblems() throws Exception {
		for (String bad : List.of("{", "{\"sku\":\"SKU-1\",\"quantity\":\"x\"}", "{\"sku\":\"SKU-1\"}", "[]")) {
			HttpResponse<String> response = send(post("/api/v1/orders", bad));
			assertThat(response.statusCode()).as(bad).isEqualTo(400);
			assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
		}
		assertThat(send(request("/api/v1/orders/" + UUID.randomUUID()).GET()).statusCode()).isEqualTo(404);
	}

	private int ordersWithSku(String sku) {
		return jdbc.sql("select count(*) from orders where sku = ?").param(sku).query(Integer.class).single();
	}

	private static String uniqueSku() {
		return "IT-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
	}

	private static String body(String sku, int quantity) {
		return "{\"sku\":\"" + sku + "\",\"quantity\":" + quantity + "}";
	}

	private HttpRequest.Builder post(String path, String body) {
		return request(path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
	}

	private HttpRequest.Builder request(String path) {
		return HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
			.header(TestApiKeys.HEADER, TestApiKeys.KEY);
	}

	private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
		return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

}
