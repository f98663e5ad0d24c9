/**
 * Per-client rate limiting for {@code /api/**} with Resilience4j's
 * {@code AtomicRateLimiter}: one limiter per client and policy in a bounded cache, 429
 * problems with {@code Retry-After} and the IETF {@code RateLimit} /
 * {@code RateLimit-Policy} headers, and metrics per policy. Limits are per instance.
 */
@NullMarked
package com.example.service.ratelimit;

import org.jspecify.annotations.NullMarked;
