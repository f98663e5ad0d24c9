package com.example.service.observability;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.TreeSet;

import com.example.service.testsupport.TestApi;
import com.example.service.testsupport.TestApiKeys;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Thousands of distinct paths, query strings, ids, client addresses and API keys must not
 * create new series: request metrics are tagged with the uri template, never the raw
 * path, and nothing is tagged per client.
 */
// An embedded database of its own: rows written here must not show up in other test
// classes.
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = { "management.server.port=0",
		"spring.datasource.url=jdbc:h2:mem:observability;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1" })
@ActiveProfiles("local")
@Import(TestApi.class)
class MetricsCardinalityTest {

	private static final int DISTINCT = 1000;

	private int clients;

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	private int port;

	@LocalManagementPort
	private int managementPort;

	@Test
	void distinctPathsAndClientsDoNotGrowTheNumberOfSeries() throws Exception {
		round(3);
		Set<String> before = series();

		round(DISTINCT);
		Set<String> after = series();

		assertThat(after).as("new series after %d requests of each kind", DISTINCT).isEqualTo(before);
		assertThat(after).anyMatch((series) -> series.contains("uri=\"" + TestApi.PATH + "/{id}\""));
		assertThat(after).noneMatch((series) -> series.contains("/unknown/"));
	}

	/**
	 * Every kind of request once per iteration, each from another client address: per
	 * 1000 iterations 2000 distinct unknown paths, 1000 query strings, 2000 ids, 5000
	 * client addresses and 3000 distinct invalid API keys.
	 */
	private void round(int times) throws Exception {
		for (int i = 0; i < times; i++) {
			String unique = UUID.randomUUID().toString();
			send("GET", "/unknown/" + unique, "key-" + i);
			send("GET", TestApi.PATH + "?size=5&filter=" + unique, TestApiKeys.LOCAL_KEY);
			send("GET", TestApi.PATH + "/" + unique, TestApiKeys.LOCAL_KEY);
			send("GET", TestApi.PATH + "/" + unique, "unknown-key-" + i);
			send("POST", "/unknown/" + unique + "?q=" + unique, "key-" + i);
			if (i % 20 == 0) {
				send("X" + Integer.toHexString(i + 0x1000).toUpperCase(), TestApi.PATH, TestApiKeys.LOCAL_KEY);
			}
		}
	}

	/**
	 * One request from a new client address, with the given API key (valid, or one of
	 * thousands of invalid ones).
	 */
	private void send(String method, String path, String apiKey) throws Exception {
		int client = ++clients;
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.method(method, HttpRequest.BodyPublishers.noBody())
			.header("X-Forwarded-For", "10." + (client >> 16 & 255) + "." + (client >> 8 & 255) + "." + (client & 255))
			.header(TestApiKeys.HEADER, apiKey)
			.build();
		http.send(request, HttpResponse.BodyHandlers.discarding());
	}

	/**
	 * Series names and labels, without values; GC pause series are left out as they
	 * appear with the first collection of each kind, whatever the requests.
	 */
	private Set<String> series() throws Exception {
		String scrape = http
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/actuator/prometheus"))
				.build(), HttpResponse.BodyHandlers.ofString())
			.body();
		List<String> samples = MetricsTest.samples(scrape);
		Set<String> series = new TreeSet<>();
		for (String sample : samples) {
			if (!sample.startsWith("jvm_gc_")) {
				series.add(sample.substring(0, sample.lastIndexOf(' ')));
			}
		}
		return series;
	}

}
