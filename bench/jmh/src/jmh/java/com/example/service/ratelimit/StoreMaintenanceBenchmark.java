package com.example.service.ratelimit;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * A hot-key lookup in a cache built like the limiter store (maximum size and idle
 * expiry): Caffeine's default maintenance, scheduled on the common pool whenever a read
 * buffer fills, against maintenance run by the calling thread
 * ({@code executor(Runnable::run)}). The profile of {@code storeHotClient} shows the
 * hand-off (unparking a pool thread, releasing the eviction lock to it) as a large part
 * of a store lookup; this measures what running it in place would save.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = { "-Xmx1g" })
@State(Scope.Thread)
public class StoreMaintenanceBenchmark {

	private Cache<String, Object> commonPool;

	private Cache<String, Object> callerRuns;

	@Setup
	public void setUp() throws Exception {
		RateLimitProperties configured = LimiterStoreFootprint.configured();
		Duration idle = configured.idleExpiry();
		this.commonPool = Caffeine.newBuilder()
			.maximumSize(configured.maxClients())
			.expireAfterAccess(idle)
			.build();
		this.callerRuns = Caffeine.newBuilder()
			.maximumSize(configured.maxClients())
			.expireAfterAccess(idle)
			.executor(Runnable::run)
			.build();
	}

	@Benchmark
	public Object hotKeyCommonPoolMaintenance() {
		return this.commonPool.get("client:bench", (key) -> new Object());
	}

	@Benchmark
	public Object hotKeyCallerRunsMaintenance() {
		return this.callerRuns.get("client:bench", (key) -> new Object());
	}

}
