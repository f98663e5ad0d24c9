package com.example.service.observability;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import com.example.service.testsupport.TestApi;
import com.example.service.testsupport.TestApiKeys;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Thousands of distinct paths, query strings, ids, client addresses and API keys must not
 * create new series: request metrics are tagged with the uri template, never the raw
 * path, and nothing is tagged per client.
 */
// An embedded database of its own: rows written here must not show up in other test
// classes. The test client is the trusted proxy, so each X-Forwarded-For address is a
// client of its own; without that every request would come from 127.0.0.1.
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = { "management.server.port=0",
		"spring.datasource.url=jdbc:h2:mem:observability;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1",
		"app.ratelimit.trusted-proxies=127.0.0.1/32" })
@ActiveProfiles("local")
@Import(TestApi.class)
class MetricsCardinalityTest {

	private static final int DISTINCT = 1000;

	/**
	 * Valid API keys, each its own client id. Every request compares the presented key
	 * with all of them, so a few hundred rather than thousands keeps the test fast.
	 */
	private static final int KEYS = 300;

	private static final Pattern REMAINING = Pattern.compile(";r=(\\d+)");

	private static final Pattern QUOTA = Pattern.compile(";q=(\\d+)");

	private int clients;

	private int validKeys;

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	private int port;

	@LocalManagementPort
	private int managementPort;

	@DynamicPropertySource
	static void apiKeys(DynamicPropertyRegistry registry) {
		registry.add("app.security.api-keys",
				() -> IntStream.range(0, KEYS)
					.mapToObj((n) -> "cardinality-client-" + n + ":" + sha256(key(n)))
					.collect(Collectors.joining(",")));
	}

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
	 * 1000 iterations 2000 distinct unknown paths, 1000 query strings, 2000 ids, 5050
	 * client addresses, 3000 distinct invalid API keys and the valid keys in rotation.
	 */
	private void round(int times) throws Exception {
		for (int i = 0; i < times; i++) {
			String unique = UUID.randomUUID().toString();
			send("GET", "/unknown/" + unique, "key-" + i);
			authenticated(send("GET", TestApi.PATH + "?size=5&filter=" + unique, nextValidKey()));
			authenticated(send("GET", TestApi.PATH + "/" + unique, nextValidKey()));
			freshQuota(send("GET", TestApi.PATH + "/" + unique, "unknown-key-" + i));
			send("POST", "/unknown/" + unique + "?q=" + unique, "key-" + i);
			if (i % 20 == 0) {
				authenticated(send("X" + Integer.toHexString(i + 0x1000).toUpperCase(), TestApi.PATH, nextValidKey()));
			}
		}
	}

	/**
	 * One request from a new client address, with the given API key (valid, or one of
	 * thousands of invalid ones).
	 */
	private HttpResponse<Void> send(String method, String path, String apiKey) throws Exception {
		int client = ++clients;
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.method(method, HttpRequest.BodyPublishers.noBody())
			.header("X-Forwarded-For", "10." + (client >> 16 & 255) + "." + (client >> 8 & 255) + "." + (client & 255))
			.header(TestApiKeys.HEADER, apiKey)
			.build();
		return http.send(request, HttpResponse.BodyHandlers.discarding());
	}

	private String nextValidKey() {
		return key(validKeys++ % KEYS);
	}

	/**
	 * A generated key would silently count as anonymous if its hash were wrong.
	 */
	private static void authenticated(HttpResponse<Void> response) {
		assertThat(response.statusCode()).as("status with a valid key").isNotEqualTo(401);
	}

	/**
	 * An anonymous request is limited by its address: a quota untouched before this
	 * request shows that the limiter saw a new client, not 127.0.0.1 again.
	 */
	private static void freshQuota(HttpResponse<Void> response) {
		long quota = number(QUOTA, response.headers().firstValue("RateLimit-Policy").orElseThrow());
		long remaining = number(REMAINING, response.headers().firstValue("RateLimit").orElseThrow());
		assertThat(remaining).as("remaining quota of a new client address").isEqualTo(quota - 1);
	}

	private static long number(Pattern pattern, String header) {
		Matcher matcher = pattern.matcher(header);
		assertThat(matcher.find()).as("%s in %s", pattern, header).isTrue();
		return Long.parseLong(matcher.group(1));
	}

	private static String key(int n) {
		return "cardinality-key-" + n;
	}

	private static String sha256(String key) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
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
