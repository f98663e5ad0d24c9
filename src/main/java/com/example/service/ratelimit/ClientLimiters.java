package com.example.service.ratelimit;

import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * One Resilience4j {@link AtomicRateLimiter} per client for one policy, held in a bounded
 * Caffeine cache (maximum size and idle expiry) rather than a
 * {@code RateLimiterRegistry}, which never forgets a limiter: a flood of distinct client
 * addresses must not grow the heap without bound.
 * <p>
 * Every limiter reads time from the same {@link Ticker} as the cache, so tests can move
 * time by hand. The limiter's semantics are Resilience4j's: fixed windows of
 * {@code period} starting when the client's limiter was created, {@code limit} permits
 * each, no carry-over, and a timeout of zero, so a request over the limit is rejected at
 * once instead of parking a request thread.
 */
final class ClientLimiters {

	private static final long NANOS_PER_SECOND = 1_000_000_000L;

	private final RateLimitPolicy policy;

	private final RateLimiterConfig config;

	private final Ticker ticker;

	/** One supplier shared by every limiter (no allocation per client). */
	private final Supplier<Long> nanoTime;

	private final long periodNanos;

	private final Cache<String, Bucket> buckets;

	private final Counter allowed;

	private final Counter rejected;

	ClientLimiters(RateLimitPolicy policy, long maxClients, Duration idleExpiry, Ticker ticker, MeterRegistry meters) {
		this.policy = policy;
		this.ticker = ticker;
		this.nanoTime = ticker::read;
		this.periodNanos = policy.period().toNanos();
		this.config = RateLimiterConfig.custom()
			.limitForPeriod(policy.limit())
			.limitRefreshPeriod(policy.period())
			.timeoutDuration(Duration.ZERO)
			.writableStackTraceEnabled(false)
			.build();
		this.buckets = Caffeine.newBuilder()
			.maximumSize(maxClients)
			.expireAfterAccess(idleExpiry)
			.ticker(ticker)
			.build();
		this.allowed = counter(meters, policy, "allowed");
		this.rejected = counter(meters, policy, "rejected");
	}

	RateLimitPolicy policy() {
		return policy;
	}

	/**
	 * Takes one permit from the client's limiter, creating it on first use.
	 */
	RateLimitDecision acquire(String client) {
		Bucket bucket = buckets.get(client, this::newBucket);
		AtomicRateLimiter limiter = bucket.limiter();
		if (limiter.acquirePermission()) {
			allowed.increment();
			int remaining = Math.max(0, limiter.getDetailedMetrics().getAvailablePermissions());
			long elapsed = Math.floorMod(ticker.read() - bucket.startNanos(), periodNanos);
			return new RateLimitDecision(true, remaining, ceilSeconds(periodNanos - elapsed));
		}
		rejected.increment();
		return new RateLimitDecision(false, 0, ceilSeconds(limiter.getDetailedMetrics().getNanosToWait()));
	}

	/**
	 * Clients currently tracked, after pending evictions have run.
	 */
	long size() {
		buckets.cleanUp();
		return buckets.estimatedSize();
	}

	private Bucket newBucket(String client) {
		long start = ticker.read();
		return new Bucket(new AtomicRateLimiter(policy.name(), config, Map.of(), nanoTime), start);
	}

	private static long ceilSeconds(long nanos) {
		return Math.max(1, (nanos + NANOS_PER_SECOND - 1) / NANOS_PER_SECOND);
	}

	private static Counter counter(MeterRegistry meters, RateLimitPolicy policy, String outcome) {
		return Counter.builder("ratelimit.requests")
			.description("Requests to /api/** by rate-limit policy and outcome")
			.tag("policy", policy.name())
			.tag("outcome", outcome)
			.register(meters);
	}

	/**
	 * A client's limiter and when its first window started (Resilience4j counts windows
	 * from the limiter's creation but does not expose that instant).
	 */
	private record Bucket(AtomicRateLimiter limiter, long startNanos) {
	}

}
