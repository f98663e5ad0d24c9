package com.example.service.security;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.example.service.testsupport.LocalServer;
import com.example.service.testsupport.TestApi;
import com.example.service.testsupport.TestApiKeys;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The whole service on random ports (local profile: embedded database, development key):
 * actuator serves health, info and prometheus on the management port and nothing else on
 * either port; info names the build version and the git commit; the probes stay on the
 * main port.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "management.server.port=0")
@ActiveProfiles("local")
@Import(TestApi.class)
class ActuatorLockdownTest {

	/** Actuator endpoints that exist in Boot and must not be reachable anywhere. */
	static final List<String> HIDDEN = List.of("", "/env", "/env/java.home", "/heapdump", "/threaddump", "/beans",
			"/configprops", "/loggers", "/loggers/ROOT", "/shutdown", "/mappings", "/metrics", "/conditions",
			"/scheduledtasks", "/caches", "/startup", "/sbom", "/httpexchanges", "/logfile", "/flyway", "/auditevents",
			"/integrationgraph", "/sessions", "/quartz", "/health/db", "/health/diskSpace", "/ratelimiters",
			"/circuitbreakers", "/retries", "/bulkheads");

	@LocalServerPort
	private int port;

	@LocalManagementPort
	private int managementPort;

	private LocalServer main;

	private LocalServer management;

	@BeforeEach
	void connect() {
		main = new LocalServer(port);
		management = new LocalServer(managementPort);
	}

	@ParameterizedTest
	@ValueSource(strings = { "/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness",
			"/actuator/info", "/actuator/prometheus" })
	void servesHealthInfoAndPrometheusOnTheManagementPortOnly(String path) throws Exception {
		assertThat(management.get(path).statusCode()).isEqualTo(200);
		assertNotFound(main.get(path));
		assertNotFound(main.get(path, TestApiKeys.HEADER, TestApiKeys.LOCAL_KEY));
	}

	@Test
	void hidesEveryOtherEndpointOnBothPortsEvenWithAKey() throws Exception {
		for (String endpoint : HIDDEN) {
			String path = "/actuator" + endpoint;
			for (LocalServer server : List.of(main, management)) {
				assertNotFound(server.get(path));
				assertNotFound(server.get(path, TestApiKeys.HEADER, TestApiKeys.LOCAL_KEY));
				assertNotFound(server.send(server.request(path).POST(HttpRequest.BodyPublishers.noBody())));
			}
		}
	}

	@Test
	void infoShowsTheBuildVersion() throws Exception {
		JsonNode info = info();
		assertThat(info.at("/build/version").asString()).as("build.version in %s", info).isNotBlank();
	}

	@Test
	void infoShowsTheGitCommit() throws Exception {
		// The pom lets a build outside a git checkout (a source archive) pass without git
		// info; in a checkout it must be there.
		assumeTrue(inGitCheckout(), "built outside a git checkout: no git commit to show");
		JsonNode info = info();
		assertThat(info.at("/git/commit/id").asString()).as("git.commit.id in %s", info).matches("[0-9a-f]{7,40}");
	}

	@Test
	void showsHealthWithoutComponentsOrDetails() throws Exception {
		HttpResponse<String> health = management.get("/actuator/health");
		assertThat(health.body()).contains("\"status\":\"UP\"").doesNotContain("components", "details", "db", "disk");
		assertThat(main.get("/readyz").body()).isEqualTo("{\"status\":\"UP\"}");
	}

	@Test
	void keepsTheProbesOnTheMainPortWithoutAKey() throws Exception {
		assertThat(main.get("/livez").statusCode()).isEqualTo(200);
		assertThat(main.get("/readyz").statusCode()).isEqualTo(200);
		assertThat(main.send(main.request("/readyz").HEAD()).statusCode()).isEqualTo(200);
		assertNotFound(management.get("/livez"));
	}

	@Test
	void publishesRateLimitMetricsPerPolicyOnly() throws Exception {
		main.get(TestApi.PATH, TestApiKeys.HEADER, TestApiKeys.LOCAL_KEY);
		String scrape = management.get("/actuator/prometheus").body();
		assertThat(scrape.lines().filter((line) -> line.startsWith("ratelimit_requests_total{"))).hasSize(4)
			.allSatisfy((line) -> assertThat(line).doesNotContain(TestApiKeys.LOCAL_CLIENT, "127.0.0.1", "client"))
			.anySatisfy((line) -> assertThat(line).contains("outcome=\"allowed\"", "policy=\"default\""))
			.anySatisfy((line) -> assertThat(line).contains("outcome=\"rejected\"", "policy=\"writes\""));
	}

	@Test
	void answersMalformedRequestsOnTheManagementPortWithProblemsToo() throws Exception {
		assertThat(management.raw("GET /actuator/%zz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"))
			.startsWith("HTTP/1.1 400")
			.contains("Content-Type: application/problem+json")
			.doesNotContain("<html");
	}

	private JsonNode info() throws Exception {
		HttpResponse<String> info = management.get("/actuator/info");
		assertThat(info.statusCode()).isEqualTo(200);
		return JsonMapper.builder().build().readTree(info.body());
	}

	private static boolean inGitCheckout() {
		for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
			if (Files.exists(dir.resolve(".git"))) {
				return true;
			}
		}
		return false;
	}

	private static void assertNotFound(HttpResponse<String> response) {
		assertThat(response.statusCode()).as(response.uri().toString()).isEqualTo(404);
		assertThat(response.headers().firstValue("Content-Type")).as(response.uri().toString())
			.contains("application/problem+json");
	}

}
