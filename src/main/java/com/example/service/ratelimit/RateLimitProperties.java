package com.example.service.ratelimit;

import java.time.Duration;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.bind.Name;
import org.springframework.validation.annotation.Validated;

/**
 * Per-client rate limits on {@code /api/**} ({@code app.ratelimit.*}). Limits are per
 * instance: N replicas admit up to N times the limit in total.
 *
 * @param enabled whether {@code /api/**} is rate limited at all
 * @param defaultPolicy policy {@code default}: reads and any method that is not a write
 * (100 per second unless configured)
 * @param writes policy {@code writes}: POST, PUT, PATCH and DELETE (20 per second unless
 * configured); a client's reads and writes are counted separately
 * @param trustedProxies addresses or CIDR ranges of the proxies in front of the service
 * (the compose router, the cluster's ingress controller) whose forwarding header is
 * believed, e.g. {@code 10.0.0.0/8,2001:db8::/32}; empty (the default) means the header
 * is ignored and the direct peer is the client
 * @param forwardedHeader the header those proxies write the client address to
 * @param maxClients the most clients tracked per policy (about 500 bytes of heap each, so
 * 50,000 is at most about 25 MB per policy); beyond it Caffeine evicts the least valuable
 * limiters, which at worst hands an evicted client a fresh quota
 * @param idleExpiry a client's limiter is dropped after this long without requests; at
 * least the longest period (a limiter idle for a whole window is as good as new),
 * otherwise dropping it would reset a window early; unless configured, the longest period
 * or one minute, whichever is longer
 */
@Validated
@ConfigurationProperties(prefix = "app.ratelimit", ignoreUnknownFields = false)
record RateLimitProperties(@DefaultValue("true") boolean enabled,
		@Name("default") @Valid @Nullable Policy defaultPolicy, @Valid @Nullable Policy writes,
		@DefaultValue List<String> trustedProxies,
		@DefaultValue("x-forwarded-for") @NotNull ForwardedHeader forwardedHeader,
		@DefaultValue("50000") @Min(1) int maxClients, @Nullable Duration idleExpiry) {

	static final Policy DEFAULT_READS = new Policy(100, Duration.ofSeconds(1));

	static final Policy DEFAULT_WRITES = new Policy(20, Duration.ofSeconds(1));

	static final Duration MIN_IDLE_EXPIRY = Duration.ofMinutes(1);

	RateLimitProperties {
		defaultPolicy = (defaultPolicy != null) ? defaultPolicy : DEFAULT_READS;
		writes = (writes != null) ? writes : DEFAULT_WRITES;
		Duration longest = (defaultPolicy.period().compareTo(writes.period()) > 0) ? defaultPolicy.period()
				: writes.period();
		if (idleExpiry == null) {
			idleExpiry = (longest.compareTo(MIN_IDLE_EXPIRY) > 0) ? longest : MIN_IDLE_EXPIRY;
		}
		if (idleExpiry.compareTo(longest) < 0) {
			throw new IllegalArgumentException(
					"app.ratelimit.idle-expiry (" + idleExpiry + ") must be at least the longest period (" + longest
							+ "): a limiter dropped before its window ends would hand out a fresh quota");
		}
	}

	/**
	 * The policy for reads.
	 */
	Policy reads() {
		return (defaultPolicy != null) ? defaultPolicy : DEFAULT_READS;
	}

	/**
	 * The policy for writes.
	 */
	Policy writesPolicy() {
		return (writes != null) ? writes : DEFAULT_WRITES;
	}

	/**
	 * How long an idle client's limiter is kept.
	 */
	Duration idleTime() {
		return (idleExpiry != null) ? idleExpiry : MIN_IDLE_EXPIRY;
	}

	/**
	 * One quota.
	 *
	 * @param limit requests admitted per period and client
	 * @param period the window: whole seconds, 1s or more (the headers count in seconds);
	 * 1s unless configured
	 */
	record Policy(@Min(1) int limit, @DefaultValue("1s") Duration period) {

		Policy {
			if (period.isNegative() || period.isZero() || period.toNanosPart() != 0) {
				throw new IllegalArgumentException(
						"a rate-limit period must be a positive whole number of seconds, not " + period);
			}
		}

	}

}
