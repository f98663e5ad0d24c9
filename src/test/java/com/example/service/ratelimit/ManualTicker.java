package com.example.service.ratelimit;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import com.github.benmanes.caffeine.cache.Ticker;

/**
 * Time that only moves when a test says so, for the limiters and the cache alike.
 */
final class ManualTicker implements Ticker {

	private final AtomicLong nanos = new AtomicLong(1_000_000_000_000L);

	@Override
	public long read() {
		return nanos.get();
	}

	void advance(Duration duration) {
		nanos.addAndGet(duration.toNanos());
	}

}
