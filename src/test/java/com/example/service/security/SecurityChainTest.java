package com.example.service.security;

import java.security.Principal;

import com.example.service.testsupport.TestApiKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.options;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The security filter chain without a profile (production settings plus the test key).
 */
@WebMvcTest(controllers = SecurityChainTest.Api.class,
		includeFilters = @ComponentScan.Filter(type = FilterType.REGEX,
				pattern = "com\\.example\\.service\\.security\\..*"),
		properties = "app.security.max-request-body-size=100B")
@Import(SecurityChainTest.Api.class)
class SecurityChainTest {

	@Autowired
	private MockMvc mvc;

	@Test
	void anApiKeyAuthenticatesItsClientAsThePrincipal() throws Exception {
		mvc.perform(get("/api/whoami").header(TestApiKeys.HEADER, TestApiKeys.KEY))
			.andExpect(status().isOk())
			.andExpect(content().string(TestApiKeys.CLIENT));
	}

	@Test
	void refusesAMissingKeyWithAChallenge() throws Exception {
		expectUnauthorized(mvc.perform(get("/api/whoami")))
			.andExpect(jsonPath("$.detail").value("This API needs an API key in the X-API-Key header."));
	}

	@ParameterizedTest
	@ValueSource(strings = { "wrong", TestApiKeys.LOCAL_KEY,
			"ed92bbcd62f12cb0558bed71af394ff774e57e2933badfbdbd33e6cab873add8", " test-key-not-a-secret" })
	void refusesAWrongKeyTheHashOrTheDevelopmentKeyOutsideTheLocalProfile(String key) throws Exception {
		expectUnauthorized(mvc.perform(get("/api/whoami").header(TestApiKeys.HEADER, key)))
			.andExpect(jsonPath("$.detail").value("The X-API-Key header does not hold a valid API key."));
	}

	@Test
	void neverCreatesASession() throws Exception {
		mvc.perform(get("/api/whoami").header(TestApiKeys.HEADER, TestApiKeys.KEY))
			.andExpect(header().doesNotExist(HttpHeaders.SET_COOKIE))
			.andExpect((result) -> assertThat(result.getRequest().getSession(false)).isNull());
	}

	@Test
	void acceptsWritesWithoutACsrfToken() throws Exception {
		mvc.perform(post("/api/echo").header(TestApiKeys.HEADER, TestApiKeys.KEY)
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"a\":1}")).andExpect(status().isOk());
	}

	@Test
	void setsSecurityHeadersOnEveryResponse() throws Exception {
		for (ResultActions result : new ResultActions[] {
				mvc.perform(get("/api/whoami").header(TestApiKeys.HEADER, TestApiKeys.KEY)),
				mvc.perform(get("/api/whoami")), mvc.perform(get("/anything")) }) {
			result.andExpect(header().string("X-Content-Type-Options", "nosniff"))
				.andExpect(header().string("X-Frame-Options", "DENY"))
				.andExpect(header().string("Content-Security-Policy",
						"default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"))
				.andExpect(header().string("Referrer-Policy", "no-referrer"))
				.andExpect(header().string(HttpHeaders.CACHE_CONTROL, containsString("no-store")));
		}
	}

	@Test
	void sendsHstsOnlyOverHttps() throws Exception {
		mvc.perform(get("/api/whoami").secure(true).header(TestApiKeys.HEADER, TestApiKeys.KEY))
			.andExpect(header().string("Strict-Transport-Security", containsString("max-age=")));
		mvc.perform(get("/api/whoami").header(TestApiKeys.HEADER, TestApiKeys.KEY))
			.andExpect(header().doesNotExist("Strict-Transport-Security"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "/", "/anything", "/actuator/env", "/error", "/v3/api-docs", "/swagger-ui.html" })
	void answersEverythingOutsideTheApiWith404(String path) throws Exception {
		mvc.perform(get(path).header(TestApiKeys.HEADER, TestApiKeys.KEY))
			.andExpect(status().isNotFound())
			.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(header().doesNotExist(HttpHeaders.WWW_AUTHENTICATE));
	}

	@Test
	void answersNoCorsRequestUnlessOriginsAreConfigured() throws Exception {
		mvc.perform(options("/api/whoami").header(HttpHeaders.ORIGIN, "https://evil.example")
			.header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, "GET")
			.header(HttpHeaders.ACCESS_CONTROL_REQUEST_HEADERS, "X-API-Key"))
			.andExpect(status().isUnauthorized())
			.andExpect(header().doesNotExist(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN));
		mvc.perform(get("/api/whoami").header(HttpHeaders.ORIGIN, "https://evil.example")
			.header(TestApiKeys.HEADER, TestApiKeys.KEY))
			.andExpect(header().doesNotExist(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN));
	}

	@Test
	void refusesADeclaredBodyOverTheLimit() throws Exception {
		mvc.perform(post("/api/echo").header(TestApiKeys.HEADER, TestApiKeys.KEY)
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"a\":\"" + "x".repeat(200) + "\"}"))
			.andExpect(status().isContentTooLarge())
			.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.detail").value("The request body is larger than the limit of 100 bytes."));
	}

	private static ResultActions expectUnauthorized(ResultActions result) throws Exception {
		return result.andExpect(status().isUnauthorized())
			.andExpect(header().string(HttpHeaders.WWW_AUTHENTICATE, "ApiKey realm=\"api\", header=\"X-API-Key\""))
			.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.status").value(401))
			.andExpect(content().string(not(containsString("test-key"))));
	}

	@RestController
	static class Api {

		@GetMapping("/api/whoami")
		String whoami(Principal principal) {
			return principal.getName();
		}

		@PostMapping("/api/echo")
		String echo(@RequestBody String body) {
			return body;
		}

	}

}
