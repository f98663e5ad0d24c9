package com.example.service.security;

import java.net.http.HttpResponse;
import java.util.Set;
import java.util.stream.Collectors;

import com.example.service.testsupport.LocalServer;
import com.example.service.testsupport.TestApi;
import com.example.service.testsupport.TestApiKeys;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenAPI document at {@code /api/openapi}: behind the API key like the API, and
 * describing every refusal the API can give. Same context as
 * {@link ActuatorLockdownTest}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "management.server.port=0")
@ActiveProfiles("local")
@Import(TestApi.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenApiDocumentTest {

	@LocalServerPort
	private int port;

	private JsonNode document;

	@BeforeAll
	void fetch() throws Exception {
		HttpResponse<String> response = new LocalServer(port).get("/api/openapi", TestApiKeys.HEADER,
				TestApiKeys.LOCAL_KEY);
		assertThat(response.statusCode()).isEqualTo(200);
		document = JsonMapper.builder().build().readTree(response.body());
	}

	@Test
	void needsAnApiKey() throws Exception {
		LocalServer server = new LocalServer(port);
		assertThat(server.get("/api/openapi").statusCode()).isEqualTo(401);
		assertThat(server.get("/v3/api-docs").statusCode()).isEqualTo(404);
		assertThat(server.get("/api/openapi.yaml", TestApiKeys.HEADER, TestApiKeys.LOCAL_KEY).body())
			.startsWith("openapi: 3.1.0");
	}

	@Test
	void describesTheApiKeyScheme() {
		JsonNode scheme = document.at("/components/securitySchemes/ApiKey");
		assertThat(scheme.get("type").asString()).isEqualTo("apiKey");
		assertThat(scheme.get("in").asString()).isEqualTo("header");
		assertThat(scheme.get("name").asString()).isEqualTo("X-API-Key");
		assertThat(document.at("/security/0/ApiKey").isArray()).isTrue();
	}

	@Test
	void listsTheRefusalsEveryWriteCanGive() {
		assertThat(responses(TestApi.PATH, "post")).contains("201", "400", "401", "413", "429", "500", "503");
	}

	@Test
	void listsTheRefusalsEveryReadCanGive() {
		assertThat(responses(TestApi.PATH + "/{id}", "get")).contains("200", "401", "404", "429", "500", "503")
			.doesNotContain("413");
		assertThat(responses(TestApi.PATH, "get")).contains("200", "400", "401", "429", "500", "503");
	}

	@Test
	void describesErrorsAsProblemsAndRateLimitsWithTheirHeaders() {
		JsonNode tooMany = operation(TestApi.PATH, "get").at("/responses/429");
		assertThat(tooMany.at("/content/application~1problem+json/schema/$ref").asString())
			.isEqualTo("#/components/schemas/Problem");
		assertThat(names(tooMany.get("headers"))).contains("Retry-After", "RateLimit", "RateLimit-Policy");
		assertThat(operation(TestApi.PATH + "/{id}", "get").at("/responses/404/content").has("application/json"))
			.isFalse();
		assertThat(names(document.at("/components/schemas/Problem/properties"))).contains("title", "status", "detail",
				"instance");
	}

	private JsonNode operation(String path, String method) {
		JsonNode operation = document.get("paths").get(path).get(method);
		assertThat(operation).as(method + " " + path).isNotNull();
		return operation;
	}

	private Set<String> responses(String path, String method) {
		return names(operation(path, method).get("responses"));
	}

	private static Set<String> names(JsonNode object) {
		return object.propertyNames().stream().collect(Collectors.toSet());
	}

}
