package com.example.service.security;

import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import com.example.service.testsupport.LocalServer;
import com.example.service.testsupport.TestApi;
import com.example.service.testsupport.TestApiKeys;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Refusals that happen before or outside Spring MVC (Tomcat, the firewall, the body
 * limit, the error page) are problems too, over real HTTP. Same context as
 * {@link ActuatorLockdownTest}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "management.server.port=0")
@ActiveProfiles("local")
@Import(TestApi.class)
class ServerErrorsTest {

	@LocalServerPort
	private int port;

	private LocalServer server;

	@BeforeEach
	void connect() {
		server = new LocalServer(port);
	}

	@Test
	void acceptsTheDevelopmentKeyInTheLocalProfile() throws Exception {
		HttpResponse<String> response = server.get(TestApi.PATH, TestApiKeys.HEADER, TestApiKeys.LOCAL_KEY);
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("RateLimit"))
			.hasValueSatisfying((value) -> value.startsWith("\"default\";r="));
	}

	@Test
	void refusesADeclaredBodyOverTheLimitBeforeReadingIt() throws Exception {
		HttpResponse<String> response = server
			.send(post().POST(HttpRequest.BodyPublishers.ofString(TestApi.note(70_000))));
		assertProblem(response, 413, "larger than the limit of 65536 bytes");
	}

	@Test
	void refusesAChunkedBodyOnceItPassesTheLimit() throws Exception {
		// An InputStream publisher has no length: the client sends Transfer-Encoding:
		// chunked.
		HttpResponse<String> response = server.send(post().POST(HttpRequest.BodyPublishers
			.ofInputStream(() -> new ByteArrayInputStream(TestApi.note(70_000).getBytes()))));
		assertProblem(response, 413, "larger than the limit of 65536 bytes");
	}

	@Test
	void answersOversizedHeadersWithAProblemFromTomcat() throws Exception {
		HttpResponse<String> response = server.get(TestApi.PATH, TestApiKeys.HEADER, TestApiKeys.LOCAL_KEY, "X-Padding",
				"x".repeat(9000));
		assertProblem(response, 400, "headers are over the size limit");
	}

	@Test
	void answersAMalformedUriWithAProblemFromTomcat() throws Exception {
		String response = server.raw("GET /api/%zz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
		assertThat(response).startsWith("HTTP/1.1 400")
			.contains("Content-Type: application/problem+json")
			.contains("\"status\":400")
			.doesNotContain("<html", "Tomcat");
	}

	@Test
	void answersAFirewallRejectionWithAProblem() throws Exception {
		String response = server.raw("GET " + TestApi.PATH + "/..;/x HTTP/1.1\r\nHost: localhost\r\nX-API-Key: "
				+ TestApiKeys.LOCAL_KEY + "\r\nConnection: close\r\n\r\n");
		assertThat(response).startsWith("HTTP/1.1 400")
			.contains("Content-Type: application/problem+json")
			.doesNotContain("RequestRejectedException", "firewall");
	}

	@Test
	void doesNotServeTheErrorPageDirectly() throws Exception {
		assertProblem(server.get("/error"), 404, "No resource");
	}

	private HttpRequest.Builder post() {
		return server.request(TestApi.PATH)
			.header("Content-Type", "application/json")
			.header(TestApiKeys.HEADER, TestApiKeys.LOCAL_KEY);
	}

	private static void assertProblem(HttpResponse<String> response, int status, String detail) {
		assertThat(response.statusCode()).isEqualTo(status);
		assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
		assertThat(response.body()).contains("\"status\":" + status).contains(detail).doesNotContain("Exception");
	}

}
