package com.example.service.ratelimit;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;

/**
 * The per-request rate-limit path of the template (issue 7): client key resolution,
 * store lookup and {@code acquirePermission}, with the response headers and, when
 * rejected, the problem body. {@code filter*} run {@link RateLimitFilter} on mock servlet
 * objects (reused; their reset is part of every operation, see {@link #filterNotLimited}
 * for that floor); {@code store*} call {@link ClientLimiters} alone.
 * <p>
 * Lives in the template's package to reach its package-private types; compiled by
 * {@code bench/run.sh} against the template's jar. Not part of {@code ./mvnw verify}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = { "-Xmx1g" })
public class RateLimitPathBenchmark {

	/** More distinct clients than the store holds, so every request misses and evicts. */
	static final int CHURN_CLIENTS = 1 << 20;

	static final FilterChain CHAIN = (request, response) -> {
	};

	@State(Scope.Thread)
	public static class Limits {

		ClientLimiters high;

		ClientLimiters one;

		ClientLimiters churn;

		RateLimitFilter admitting;

		RateLimitFilter rejecting;

		RateLimitFilter churning;

		String[] clients;

		int next;

		MockHttpServletRequest known;

		MockHttpServletRequest anonymous;

		MockHttpServletRequest unlimited;

		MockHttpServletResponse response;

		@Setup(Level.Trial)
		public void setUp() throws Exception {
			RateLimitProperties configured = LimiterStoreFootprint.configured();
			long maxClients = configured.maxClients();
			Duration idle = configured.idleExpiry();
			this.high = limiters(1_000_000_000, maxClients, idle);
			this.one = limiters(1, maxClients, idle);
			this.churn = limiters(configured.reads().limit(), maxClients, idle);
			ClientAddresses addresses = new ClientAddresses(List.of(), ForwardedHeader.X_FORWARDED_FOR);
			var matcher = PathPatternRequestMatcher.withDefaults().matcher(RateLimitConfiguration.LIMITED_PATHS);
			this.admitting = new RateLimitFilter(matcher, this.high, this.high, addresses);
			this.rejecting = new RateLimitFilter(matcher, this.one, this.one, addresses);
			this.churning = new RateLimitFilter(matcher, this.churn, this.churn, addresses);
			this.clients = new String[CHURN_CLIENTS];
			for (int i = 0; i < CHURN_CLIENTS; i++) {
				this.clients[i] = LimiterStoreFootprint.address(i);
			}
			this.known = new MockHttpServletRequest("GET", "/api/v1/orders/00000000-0000-4000-8000-000000000001");
			this.known.setUserPrincipal(() -> "bench");
			this.anonymous = new MockHttpServletRequest("GET", "/api/v1/orders/00000000-0000-4000-8000-000000000001");
			this.unlimited = new MockHttpServletRequest("GET", "/actuator/health");
			this.response = new MockHttpServletResponse();
			this.rejecting.doFilter(this.known, this.response, CHAIN);
		}

		String nextClient() {
			String client = this.clients[this.next];
			this.next = (this.next + 1) & (CHURN_CLIENTS - 1);
			return client;
		}

		MockHttpServletResponse fresh(MockHttpServletRequest request) {
			request.clearAttributes();
			this.response.reset();
			return this.response;
		}

		private static ClientLimiters limiters(int limit, long maxClients, Duration idle) {
			return new ClientLimiters(new RateLimitPolicy("default", limit, Duration.ofSeconds(1)), maxClients, idle,
					Ticker.systemTicker(), new SimpleMeterRegistry());
		}

	}

	/** (a) One hot client with a valid API key, always admitted. */
	@Benchmark
	public MockHttpServletResponse filterHotClient(Limits state) throws ServletException, IOException {
		MockHttpServletResponse response = state.fresh(state.known);
		state.admitting.doFilter(state.known, response, CHAIN);
		return response;
	}

	/** (b) Anonymous clients from ever new addresses: a new limiter and an eviction each time. */
	@Benchmark
	public MockHttpServletResponse filterManyClients(Limits state) throws ServletException, IOException {
		MockHttpServletResponse response = state.fresh(state.anonymous);
		state.anonymous.setRemoteAddr(state.nextClient());
		state.churning.doFilter(state.anonymous, response, CHAIN);
		return response;
	}

	/** (c) A client over its limit: 429 with headers and a problem body. */
	@Benchmark
	public MockHttpServletResponse filterRejected(Limits state) throws ServletException, IOException {
		MockHttpServletResponse response = state.fresh(state.known);
		state.rejecting.doFilter(state.known, response, CHAIN);
		return response;
	}

	/** The floor: a path outside {@code /api/**} (matcher only) plus the mock reset. */
	@Benchmark
	public MockHttpServletResponse filterNotLimited(Limits state) throws ServletException, IOException {
		MockHttpServletResponse response = state.fresh(state.unlimited);
		state.admitting.doFilter(state.unlimited, response, CHAIN);
		return response;
	}

	@Benchmark
	public RateLimitDecision storeHotClient(Limits state) {
		return state.high.acquire("client:bench");
	}

	@Benchmark
	public RateLimitDecision storeManyClients(Limits state) {
		return state.churn.acquire(state.nextClient());
	}

	@Benchmark
	public RateLimitDecision storeRejected(Limits state) {
		return state.one.acquire("client:bench");
	}

}
