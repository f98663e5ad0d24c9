package com.example.service.observability;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;

import com.example.service.testsupport.TestApi;
import com.example.service.testsupport.TestApiKeys;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Trace ids reach the caller (header and problem body) and every log line written while
 * serving a request; API keys reach no log line, even at DEBUG; nothing is exported
 * without a collector. Logs are the production JSON format here.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = { "management.server.port=0",
		"logging.structured.format.console=ecs",
		"spring.datasource.url=jdbc:h2:mem:tracing;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1",
		"logging.level.org.springframework.web=DEBUG", "logging.level.org.springframework.security=DEBUG",
		"logging.level.com.example=DEBUG" })
@ActiveProfiles("local")
@Import(TestApi.class)
@ExtendWith(OutputCaptureExtension.class)
class TracingAndLoggingTest {

	private static final String TRACE_ID = "[0-9a-f]{32}";

	private final HttpClient http = HttpClient.newHttpClient();

	private final JsonMapper json = JsonMapper.builder().build();

	@LocalServerPort
	private int port;

	@Autowired
	private ApplicationContext context;

	@Test
	void returnsTheTraceIdInAHeaderAndInProblems() throws Exception {
		HttpResponse<String> missing = get(TestApi.PATH + "/" + UUID.randomUUID());
		assertThat(missing.statusCode()).isEqualTo(404);
		String traceId = missing.headers().firstValue("X-Trace-Id").orElseThrow();
		assertThat(traceId).matches(TRACE_ID);
		assertThat(json.readTree(missing.body()).get("traceId").asString()).isEqualTo(traceId);

		HttpResponse<String> ok = get(TestApi.PATH);
		assertThat(ok.headers().firstValue("X-Trace-Id").orElseThrow()).matches(TRACE_ID).isNotEqualTo(traceId);
	}

	@Test
	void continuesTheCallersW3cTrace() throws Exception {
		String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
		HttpResponse<String> response = http.send(request(TestApi.PATH + "/" + UUID.randomUUID())
			.header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01")
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.headers().firstValue("X-Trace-Id")).contains(traceId);
		assertThat(json.readTree(response.body()).get("traceId").asString()).isEqualTo(traceId);
	}

	@Test
	void everyLineLoggedWhileServingARequestCarriesItsTraceAndSpanIds(CapturedOutput output) throws Exception {
		get(TestApi.PATH);
		int start = output.getOut().length();
		HttpResponse<String> response = get(TestApi.PATH + "/" + UUID.randomUUID());
		String traceId = response.headers().firstValue("X-Trace-Id").orElseThrow();

		List<JsonNode> requestLines = jsonLines(output.getOut().substring(start)).stream()
			.filter((line) -> line.at("/process/thread/name").asString().contains("-exec-"))
			.toList();
		assertThat(requestLines).as("DEBUG lines of the dispatcher for this request").isNotEmpty();
		assertThat(requestLines).allSatisfy((line) -> {
			assertThat(line.path("traceId").asString()).isEqualTo(traceId);
			assertThat(line.path("spanId").asString()).matches("[0-9a-f]{16}");
		});
	}

	@Test
	void neverLogsAnApiKey(CapturedOutput output) throws Exception {
		String unknownKey = "sk-test-" + UUID.randomUUID();
		for (String key : new String[] { unknownKey, TestApiKeys.LOCAL_KEY }) {
			http.send(withKey(TestApi.PATH, key).build(), HttpResponse.BodyHandlers.ofString());
			http.send(withKey(TestApi.PATH, key).header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString(TestApi.note(40)))
				.build(), HttpResponse.BodyHandlers.ofString());
			http.send(withKey(TestApi.PATH + "/not-a-uuid", key).build(), HttpResponse.BodyHandlers.ofString());
		}
		assertThat(output.getAll()).contains(TestApi.PATH)
			.doesNotContain(unknownKey)
			.doesNotContain(TestApiKeys.LOCAL_KEY);
	}

	@Test
	void returnsTheTraceIdInProblemsWrittenByFilters() throws Exception {
		HttpResponse<String> rejected = http.send(withKey(TestApi.PATH, "sk-test-" + UUID.randomUUID()).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(rejected.statusCode()).isEqualTo(401);
		String traceId = rejected.headers().firstValue("X-Trace-Id").orElseThrow();
		assertThat(traceId).matches(TRACE_ID);
		assertThat(json.readTree(rejected.body()).get("traceId").asString()).isEqualTo(traceId);
	}

	private HttpRequest.Builder withKey(String path, String key) {
		return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header(TestApiKeys.HEADER, key);
	}

	@Test
	void exportsNoSpansWithoutACollector() {
		assertThat(context.getBeansOfType(SpanExporter.class)).isEmpty();
	}

	private List<JsonNode> jsonLines(String output) {
		return output.lines().filter((line) -> line.startsWith("{")).map(json::readTree).toList();
	}

	private HttpResponse<String> get(String path) throws Exception {
		return http.send(request(path).build(), HttpResponse.BodyHandlers.ofString());
	}

	private HttpRequest.Builder request(String path) {
		return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.header(TestApiKeys.HEADER, TestApiKeys.LOCAL_KEY);
	}

}
