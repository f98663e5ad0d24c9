package com.example.service.ratelimit;

import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.time.Duration;

import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A flood of distinct client addresses (1,000,000, each seen once, as from a botnet or
 * spoofed IPv6 sources) leaves at most {@code maxClients} limiters on the heap. Prints
 * the retained heap so the figure in docs/security-and-rate-limits.md can be reproduced:
 * {@code ./mvnw test -Dtest=BoundedStoreMemoryTest}.
 */
class BoundedStoreMemoryTest {

	static final int DISTINCT_CLIENTS = 1_000_000;

	/** The default of {@code app.ratelimit.max-clients}. */
	static final int MAX_CLIENTS = 50_000;

	@Test
	void aMillionDistinctClientsRetainAtMostMaxClientsLimiters() {
		long before = usedHeapAfterGc();
		long start = System.nanoTime();
		ClientLimiters limiters = new ClientLimiters(new RateLimitPolicy("default", 100, Duration.ofSeconds(1)),
				MAX_CLIENTS, Duration.ofMinutes(10), Ticker.systemTicker(), new SimpleMeterRegistry());
		for (int i = 0; i < DISTINCT_CLIENTS; i++) {
			// The shape of a real key: "address:" plus an IPv4 literal.
			limiters.acquire(
					"address:10." + ((i >> 16) & 0xFF) + "." + ((i >> 8) & 0xFF) + "." + (i & 0xFF) + "/" + (i >> 24));
		}
		long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
		long size = limiters.size();
		long retained = usedHeapAfterGc() - before;
		System.out.printf(
				"[bounded-store] %,d distinct clients in %,d ms: %,d limiters kept (max %,d), "
						+ "retained heap %,d KiB (%,d bytes per limiter)%n",
				DISTINCT_CLIENTS, elapsedMillis, size, MAX_CLIENTS, retained / 1024, retained / Math.max(1, size));
		assertThat(size).isLessThanOrEqualTo(MAX_CLIENTS);
		// About 500 bytes per limiter measured (docs/security-and-rate-limits.md); 1 KiB
		// each leaves room for JVM differences, far below the ~500 MB an unbounded store
		// would hold after this flood.
		assertThat(retained).isLessThan(MAX_CLIENTS * 1024L);
		// Keep the store alive until the heap was measured.
		Reference.reachabilityFence(limiters);
	}

	private static long usedHeapAfterGc() {
		for (int i = 0; i < 3; i++) {
			System.gc();
		}
		return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
	}

}
