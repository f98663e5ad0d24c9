package com.example.service.ratelimit;

import java.security.Principal;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.example.service.testsupport.TestApiKeys;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.RequestPostProcessor;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The limiter in the real security filter chain, with a manual clock: 3 reads and 2
 * writes per 10 s window, proxies in 10.0.0.0/8 trusted.
 */
@WebMvcTest(controllers = RateLimitedApiTest.Api.class,
		includeFilters = @ComponentScan.Filter(type = FilterType.REGEX,
				pattern = "com\\.example\\.service\\.(security|ratelimit)\\..*"),
		properties = { "app.ratelimit.default.limit=3", "app.ratelimit.default.period=10s",
				"app.ratelimit.writes.limit=2", "app.ratelimit.writes.period=10s",
				"app.ratelimit.trusted-proxies=10.0.0.0/8, fd00::/8" })
@Import({ RateLimitedApiTest.Api.class, RateLimitedApiTest.Clock.class })
class RateLimitedApiTest {

	@Autowired
	private MockMvc mvc;

	@Autowired
	private ManualTicker ticker;

	@Autowired
	private MeterRegistry meters;

	@BeforeEach
	void forgetEveryClient() {
		// Longer than the idle expiry: every limiter of an earlier test is gone.
		ticker.advance(Duration.ofHours(1));
	}

	@Test
	void admitsExactlyTheLimitThenAnswers429WithStructuredHeaders() throws Exception {
		for (int remaining = 2; remaining >= 0; remaining--) {
			MvcResult allowed = mvc.perform(authenticatedRead()).andExpect(status().isOk()).andReturn();
			assertRateLimit(allowed, "default", remaining, 8 + remaining);
			assertPolicy(allowed, "default", 3, 10);
			ticker.advance(Duration.ofSeconds(1));
		}
		MvcResult rejected = mvc.perform(authenticatedRead())
			.andExpect(status().isTooManyRequests())
			.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.status").value(429))
			.andExpect(jsonPath("$.detail")
				.value("Rate limit 'default' of 3 requests per 10 s exceeded. " + "Retry after 7 s."))
			.andExpect(header().string("Retry-After", "7"))
			.andReturn();
		assertRateLimit(rejected, "default", 0, 7);
		assertPolicy(rejected, "default", 3, 10);

		ticker.advance(Duration.ofMillis(6999));
		mvc.perform(authenticatedRead())
			.andExpect(status().isTooManyRequests())
			.andExpect(header().string("Retry-After", "1"));
		ticker.advance(Duration.ofMillis(1));
		assertRateLimit(mvc.perform(authenticatedRead()).andExpect(status().isOk()).andReturn(), "default", 2, 10);
	}

	@Test
	void limitsWritesByTheirOwnPolicy() throws Exception {
		mvc.perform(write()).andExpect(status().isOk());
		mvc.perform(write()).andExpect(status().isOk());
		MvcResult rejected = mvc.perform(write()).andExpect(status().isTooManyRequests()).andReturn();
		assertPolicy(rejected, "writes", 2, 10);
		assertRateLimit(rejected, "writes", 0, 10);
		mvc.perform(authenticatedRead()).andExpect(status().isOk());
	}

	@Test
	void aSpoofedForwardedForFromAnUntrustedPeerDoesNotChangeTheBucket() throws Exception {
		for (int i = 0; i < 3; i++) {
			mvc.perform(read("203.0.113.7").header("X-Forwarded-For", "198.51.100." + i))
				.andExpect(status().isUnauthorized());
		}
		mvc.perform(read("203.0.113.7").header("X-Forwarded-For", "198.51.100.99"))
			.andExpect(status().isTooManyRequests());
		mvc.perform(read("203.0.113.8")).andExpect(status().isUnauthorized());
	}

	@Test
	void behindATrustedProxyTheForwardedClientIsTheBucket() throws Exception {
		for (int i = 0; i < 3; i++) {
			mvc.perform(read("10.0.0.2").header("X-Forwarded-For", "6.6.6." + i + ", 198.51.100.1"))
				.andExpect(status().isUnauthorized());
		}
		mvc.perform(read("10.0.0.3").header("X-Forwarded-For", "198.51.100.1")).andExpect(status().isTooManyRequests());
		mvc.perform(read("10.0.0.2").header("X-Forwarded-For", "198.51.100.2")).andExpect(status().isUnauthorized());
	}

	@Test
	void anAuthenticatedClientIsLimitedByItsIdWhereverItComesFrom() throws Exception {
		for (int i = 0; i < 3; i++) {
			mvc.perform(read("203.0.113." + (20 + i)).header(TestApiKeys.HEADER, TestApiKeys.KEY))
				.andExpect(status().isOk())
				.andExpect(content().string(TestApiKeys.CLIENT));
		}
		mvc.perform(read("203.0.113.30").header(TestApiKeys.HEADER, TestApiKeys.KEY))
			.andExpect(status().isTooManyRequests());
		// The same address without the key is another bucket.
		mvc.perform(read("203.0.113.30")).andExpect(status().isUnauthorized());
	}

	@Test
	void keyGuessingIsLimitedByAddressBeforeTheKeyIsRefused() throws Exception {
		for (int i = 0; i < 3; i++) {
			mvc.perform(read("203.0.113.40").header(TestApiKeys.HEADER, "guess-" + i))
				.andExpect(status().isUnauthorized());
		}
		mvc.perform(read("203.0.113.40").header(TestApiKeys.HEADER, "guess-3")).andExpect(status().isTooManyRequests());
	}

	@Test
	void leavesEverythingOutsideTheApiAlone() throws Exception {
		for (int i = 0; i < 5; i++) {
			mvc.perform(get("/elsewhere").with(from("203.0.113.50")))
				.andExpect(status().isNotFound())
				.andExpect(header().doesNotExist("RateLimit"));
		}
	}

	@Test
	void countsPerPolicyNeverPerClient() throws Exception {
		double rejectedBefore = count("default", "rejected");
		for (int i = 0; i < 5; i++) {
			mvc.perform(read("203.0.113.60"));
			mvc.perform(read("203.0.113.61"));
		}
		assertThat(count("default", "rejected") - rejectedBefore).isEqualTo(4);
		assertThat(meters.find("ratelimit.requests").meters()).hasSize(4)
			.allSatisfy((meter) -> assertThat(meter.getId().getTags()).extracting("key")
				.containsExactlyInAnyOrder("policy", "outcome"));
	}

	private double count(String policy, String outcome) {
		return meters.get("ratelimit.requests").tags("policy", policy, "outcome", outcome).counter().count();
	}

	private static void assertRateLimit(MvcResult result, String policy, long remaining, long reset) {
		List<StructuredFields.Item> list = StructuredFields
			.parseList(result.getResponse().getHeader(RateLimitFilter.RATE_LIMIT));
		assertThat(list).singleElement().satisfies((item) -> {
			assertThat(item.value()).isEqualTo(policy);
			assertThat(item.parameters()).containsExactly(Map.entry("r", remaining), Map.entry("t", reset));
		});
	}

	private static void assertPolicy(MvcResult result, String policy, long quota, long window) {
		List<StructuredFields.Item> list = StructuredFields
			.parseList(result.getResponse().getHeader(RateLimitFilter.RATE_LIMIT_POLICY));
		assertThat(list).singleElement().satisfies((item) -> {
			assertThat(item.value()).isEqualTo(policy);
			assertThat(item.parameters()).containsExactly(Map.entry("q", quota), Map.entry("w", window));
		});
	}

	/**
	 * A read without a key: refused with 401 when the limiter lets it through, so the
	 * address bucket is what it exercises.
	 */
	private static MockHttpServletRequestBuilder read(String address) {
		return get("/api/test").with(from(address));
	}

	private static MockHttpServletRequestBuilder authenticatedRead() {
		return get("/api/test").with(from("203.0.113.1")).header(TestApiKeys.HEADER, TestApiKeys.KEY);
	}

	private static MockHttpServletRequestBuilder write() {
		return post("/api/test").with(from("203.0.113.2")).header(TestApiKeys.HEADER, TestApiKeys.KEY);
	}

	private static RequestPostProcessor from(String address) {
		return (request) -> {
			request.setRemoteAddr(address);
			return request;
		};
	}

	@RestController
	static class Api {

		@GetMapping("/api/test")
		String read(Principal principal) {
			return principal.getName();
		}

		@PostMapping("/api/test")
		String write(Principal principal) {
			return principal.getName();
		}

	}

	@TestConfiguration(proxyBeanMethods = false)
	static class Clock {

		@Bean
		ManualTicker ticker() {
			return new ManualTicker();
		}

		@Bean
		SimpleMeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

	}

}
