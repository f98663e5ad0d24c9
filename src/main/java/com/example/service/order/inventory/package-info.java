/**
 * Example feature: the inventory service that orders reserve stock from, over HTTP,
 * behind a circuit breaker, a bulkhead and a retry for idempotent calls only. Its
 * failures reach the API as 503 problems with {@code Retry-After} within a bounded time;
 * see docs/resilience.md.
 */
@NullMarked
package com.example.service.order.inventory;

import org.jspecify.annotations.NullMarked;
