package com.example.service.ratelimit;

import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;

/**
 * Heap held by the template's limiter store ({@link ClientLimiters}) after many distinct
 * clients: {@code bounded} at the bound configured in the template's
 * {@code application.yml}, {@code unbounded} with a bound as large as the number of
 * clients (what a {@code RateLimiterRegistry}, which never forgets, would hold). Heap is
 * measured after full GCs.
 * <p>
 * {@code java -Xmx256m -cp ... LimiterStoreFootprint <clients> bounded|unbounded <out.json>}
 */
public final class LimiterStoreFootprint {

	private static final double MB = 1024.0 * 1024.0;

	private LimiterStoreFootprint() {
	}

	public static void main(String[] args) throws Exception {
		int clients = Integer.parseInt(args[0]);
		boolean bounded = args[1].equals("bounded");
		RateLimitProperties configured = configured();
		String json = "{" + measure(configured, bounded ? configured.maxClients() : clients, clients) + "}";
		Files.writeString(Path.of(args[2]), json);
		System.out.println(json);
	}

	private static String measure(RateLimitProperties configured, long maxClients, int clients)
			throws InterruptedException {
		RateLimitProperties.Policy reads = configured.reads();
		Duration idle = configured.idleExpiry();
		long before = usedAfterGc();
		long started = System.nanoTime();
		ClientLimiters store = new ClientLimiters(new RateLimitPolicy("default", reads.limit(), reads.period()),
				maxClients, idle, Ticker.systemTicker(), new SimpleMeterRegistry());
		List<String> progress = new ArrayList<>();
		int step = Math.max(1, clients / 10);
		for (int i = 0; i < clients; i++) {
			store.acquire("address:" + address(i));
			if ((i + 1) % step == 0) {
				progress.add(String.format(Locale.ROOT, "{\"offered\": %d, \"tracked\": %d, \"used_mb\": %.1f}", i + 1,
						store.size(), used() / MB));
			}
		}
		double seconds = (System.nanoTime() - started) / 1e9;
		long size = store.size();
		long after = usedAfterGc();
		Reference.reachabilityFence(store);
		double retained = (after - before) / MB;
		double perClient = (size > 0) ? (after - before) / (double) size : 0;
		return String.format(Locale.ROOT,
				"\"clients\": %d, \"max_clients\": %d, \"idle_expiry\": \"%s\", \"limit\": %d, \"period\": \"%s\", "
						+ "\"size_after\": %d, \"retained_mb\": %.1f, \"bytes_per_client\": %.0f, \"bound_mb\": %.1f, "
						+ "\"insert_seconds\": %.2f, \"heap_max_mb\": %.0f, \"progress\": [%s]",
				clients, maxClients, idle, reads.limit(), reads.period(), size, retained, perClient,
				perClient * maxClients / MB, seconds, Runtime.getRuntime().maxMemory() / MB, String.join(", ", progress));
	}

	/**
	 * The rate-limit settings as the template ships them: its {@code application.yml}
	 * bound onto its own properties type, defaults included.
	 */
	static RateLimitProperties configured() throws Exception {
		List<PropertySource<?>> sources = new YamlPropertySourceLoader().load("application.yml",
				new ClassPathResource("application.yml"));
		Binder binder = new Binder(ConfigurationPropertySources.from(sources));
		return binder.bindOrCreate("app.ratelimit", RateLimitProperties.class);
	}

	static String address(int i) {
		return "10." + ((i >>> 16) & 255) + "." + ((i >>> 8) & 255) + "." + (i & 255);
	}

	private static long used() {
		return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
	}

	private static long usedAfterGc() throws InterruptedException {
		for (int i = 0; i < 3; i++) {
			System.gc();
			Thread.sleep(100);
		}
		return used();
	}

}
