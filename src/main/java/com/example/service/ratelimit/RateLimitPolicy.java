package com.example.service.ratelimit;

import java.time.Duration;

/**
 * A named quota: {@code limit} requests per {@code period}, per client.
 *
 * @param name the policy's name in headers and metrics
 * @param limit requests admitted per period
 * @param period the fixed window; whole seconds, because the headers count in seconds
 */
record RateLimitPolicy(String name, int limit, Duration period) {

	/**
	 * {@code RateLimit-Policy} value (draft-ietf-httpapi-ratelimit-headers-10): quota and
	 * window in seconds, e.g. {@code "default";q=100;w=1}.
	 */
	String policyHeader() {
		return "\"" + name + "\";q=" + limit + ";w=" + period.toSeconds();
	}

	/**
	 * {@code RateLimit} value: what is left and the seconds until the window resets, e.g.
	 * {@code "default";r=0;t=1}.
	 */
	String rateLimitHeader(int remaining, long resetSeconds) {
		return "\"" + name + "\";r=" + remaining + ";t=" + resetSeconds;
	}

}
