package com.example.service.security;

import com.example.service.testsupport.TestApiKeys;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.options;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * CORS opened for one configured origin, and only for it.
 */
@WebMvcTest(controllers = SecurityChainTest.Api.class,
		includeFilters = @ComponentScan.Filter(type = FilterType.REGEX,
				pattern = "com\\.example\\.service\\.security\\..*"),
		properties = "app.security.cors.allowed-origins=https://app.example.com")
@Import(SecurityChainTest.Api.class)
class CorsTest {

	@Autowired
	private MockMvc mvc;

	@Test
	void answersAPreflightFromTheConfiguredOriginWithoutAKey() throws Exception {
		mvc.perform(options("/api/whoami").header(HttpHeaders.ORIGIN, "https://app.example.com")
			.header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, "POST")
			.header(HttpHeaders.ACCESS_CONTROL_REQUEST_HEADERS, "X-API-Key, Content-Type, Idempotency-Key"))
			.andExpect(status().isOk())
			.andExpect(header().string(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, "https://app.example.com"))
			.andExpect(header().string(HttpHeaders.ACCESS_CONTROL_ALLOW_HEADERS, containsString("X-API-Key")))
			.andExpect(header().doesNotExist(HttpHeaders.ACCESS_CONTROL_ALLOW_CREDENTIALS));
	}

	@Test
	void exposesTheHeadersClientsNeed() throws Exception {
		mvc.perform(get("/api/whoami").header(HttpHeaders.ORIGIN, "https://app.example.com")
			.header(TestApiKeys.HEADER, TestApiKeys.KEY))
			.andExpect(status().isOk())
			.andExpect(header().string(HttpHeaders.ACCESS_CONTROL_EXPOSE_HEADERS, containsString("RateLimit")))
			.andExpect(header().string(HttpHeaders.ACCESS_CONTROL_EXPOSE_HEADERS, containsString("ETag")));
	}

	@Test
	void refusesOtherOrigins() throws Exception {
		mvc.perform(options("/api/whoami").header(HttpHeaders.ORIGIN, "https://evil.example")
			.header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, "GET"))
			.andExpect(status().isForbidden())
			.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(header().doesNotExist(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN));
	}

}
