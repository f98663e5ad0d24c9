package com.example.service.order.inventory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

/**
 * A real HTTP inventory service for tests (WireMock on a random port) and the faults it
 * can inject.
 */
final class InventoryStub implements AutoCloseable {

	private static final String RESERVATIONS = "/api/inventory/reservations/[^/]+";

	/** Far beyond any read timeout the tests configure. */
	static final Duration HUNG = Duration.ofSeconds(5);

	private final WireMockServer server;

	InventoryStub() {
		this.server = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1").containerThreads(64));
		this.server.start();
		warmUp();
	}

	/**
	 * The stub's first templated response takes seconds (class loading on a busy
	 * machine); pay that here, not inside a test's read timeout.
	 */
	private void warmUp() {
		try (HttpClient http = HttpClient.newHttpClient()) {
			for (int status : new int[] { 201, 409, 201, 409 }) {
				reset();
				if (status == 201) {
					reserves();
				}
				else {
					answers(status);
				}
				http.send(HttpRequest
					.newBuilder(URI.create(baseUrl() + "/api/inventory/reservations/" + UUID.randomUUID()))
					.header("Content-Type", "application/json")
					.PUT(HttpRequest.BodyPublishers.ofString("{\"sku\":\"WARM-UP\",\"quantity\":1}"))
					.build(), HttpResponse.BodyHandlers.ofString());
			}
			reset();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	String baseUrl() {
		return server.baseUrl();
	}

	WireMockServer server() {
		return server;
	}

	void reset() {
		server.resetAll();
	}

	/** Every reservation succeeds, echoing its id as a real inventory does. */
	void reserves() {
		answers(aResponse().withStatus(201)
			.withHeader("Content-Type", "application/json")
			.withTransformers("response-template")
			.withBody("{\"id\":\"{{request.pathSegments.[3]}}\",\"status\":\"RESERVED\"}"));
	}

	void reservesSlowly(Duration delay) {
		answers(aResponse().withStatus(201)
			.withHeader("Content-Type", "application/json")
			.withTransformers("response-template")
			.withFixedDelay((int) delay.toMillis())
			.withBody("{\"id\":\"{{request.pathSegments.[3]}}\"}"));
	}

	void answers(int status) {
		answers(aResponse().withStatus(status)
			.withHeader("Content-Type", "application/problem+json")
			.withBody("{\"status\":" + status + "}"));
	}

	void fails(Fault fault) {
		answers(aResponse().withFault(fault));
	}

	void hangs() {
		answers(aResponse().withStatus(201).withFixedDelay((int) HUNG.toMillis()));
	}

	/** Headers at once, then the body a few bytes at a time over {@link #HUNG}. */
	void dribbles() {
		answers(aResponse().withStatus(201)
			.withHeader("Content-Type", "application/json")
			.withBody("{\"id\":\"" + UUID.randomUUID() + "\",\"padding\":\"" + "x".repeat(200) + "\"}")
			.withChunkedDribbleDelay(20, (int) HUNG.toMillis()));
	}

	void answers(ResponseDefinitionBuilder response) {
		server.stubFor(put(urlPathMatching(RESERVATIONS)).willReturn(response));
	}

	int reservationRequests() {
		return server.findAll(putRequestedFor(urlPathMatching(RESERVATIONS))).size();
	}

	/**
	 * Requests for one SKU: a request abandoned by an earlier test (a hung one) may still
	 * reach the journal after a reset.
	 */
	int reservationRequests(String sku) {
		return server
			.findAll(putRequestedFor(urlPathMatching(RESERVATIONS))
				.withRequestBody(matchingJsonPath("$.sku", equalTo(sku))))
			.size();
	}

	@Override
	public void close() {
		server.stop();
	}

}
