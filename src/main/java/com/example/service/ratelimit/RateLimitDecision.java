package com.example.service.ratelimit;

/**
 * The outcome of one request against its client's limiter.
 *
 * @param allowed whether the request may proceed
 * @param remaining requests left in the current window (0 when rejected)
 * @param resetSeconds whole seconds, rounded up and at least 1, until the window resets;
 * for a rejected request this is also its {@code Retry-After}
 */
record RateLimitDecision(boolean allowed, int remaining, long resetSeconds) {

}
