package com.example.service.lifecycle;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.example.service.Application;
import com.example.service.lifecycle.HttpConnection.Response;
import com.example.service.testsupport.TestApiKeys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shutdown sequence over real HTTP against a started application (embedded database):
 * readiness refuses traffic and responses close their connections before the listener
 * stops, a request in flight completes, liveness never changes.
 */
class GracefulShutdownTest {

	private static final long DRAIN_MILLIS = 1500;

	private final List<Event> events = new CopyOnWriteArrayList<>();

	/** Own threads: the common pool may have a single thread on a small machine. */
	private final ExecutorService threads = Executors.newCachedThreadPool();

	private ConfigurableApplicationContext context;

	@AfterEach
	void closeContext() {
		if (context != null) {
			context.close();
		}
		threads.shutdownNow();
	}

	@Test
	void drainsThenStopsTheListenerWhileTheRequestInFlightCompletes() throws Exception {
		int port = start(DRAIN_MILLIS + "ms");
		assertThat(context.getEnvironment().getProperty("server.shutdown")).isEqualTo("graceful");
		assertThat(context.getEnvironment().getProperty("spring.lifecycle.timeout-per-shutdown-phase"))
			.isEqualTo("20s");
		assertThat(HttpConnection.exchange(port, "GET", "/readyz").header("Connection")).isNull();
		HttpConnection idleKeepAlive = HttpConnection.open(port);
		assertThat(idleKeepAlive.send("GET", "/livez", null).status()).isEqualTo(200);

		CompletableFuture<Response> inFlight = CompletableFuture
			.supplyAsync(() -> call(port, "/api/test/slow?millis=" + (DRAIN_MILLIS + 1500)), threads);
		assertThat(SlowController.started.await(5, TimeUnit.SECONDS)).isTrue();
		long shutdownStarted = System.nanoTime();
		CompletableFuture<Void> shutdown = CompletableFuture.runAsync(context::close, threads);

		Response duringDrain = waitForReadiness(port, 503);
		assertThat(duringDrain.header("Connection")).isEqualTo("close");
		Response reused = idleKeepAlive.send("GET", "/livez", null);
		assertThat(reused.status()).as("liveness stays UP while draining").isEqualTo(200);
		assertThat(reused.header("Connection")).isEqualTo("close");
		assertThat(idleKeepAlive.closedByServer()).isTrue();

		long listenerStopped = waitUntilConnectionsAreRefused(port);
		assertThat((listenerStopped - shutdownStarted) / 1_000_000).as("listener stops after the drain delay")
			.isGreaterThanOrEqualTo(DRAIN_MILLIS - 100);
		assertThat(firstRefusingTraffic()).isLessThan(listenerStopped);

		Response slow = inFlight.get(15, TimeUnit.SECONDS);
		assertThat(slow.status()).isEqualTo(200);
		assertThat(slow.body()).isEqualTo("done");
		shutdown.get(15, TimeUnit.SECONDS);
		assertThat(events).noneMatch((event) -> event.state() == LivenessState.BROKEN);
	}

	private int start(String drainDelay) {
		SlowController.started = new CountDownLatch(1);
		context = new SpringApplicationBuilder(Application.class, SlowController.class).profiles("local")
			.listeners((AvailabilityChangeEvent<?> event) -> events.add(new Event(event.getState(), System.nanoTime())))
			.run("--server.port=0", "--management.server.port=0", "--app.lifecycle.drain-delay=" + drainDelay);
		return ((WebServerApplicationContext) context).getWebServer().getPort();
	}

	private Response waitForReadiness(int port, int status) throws Exception {
		for (int i = 0; i < 100; i++) {
			Response response = HttpConnection.exchange(port, "GET", "/readyz");
			if (response.status() == status) {
				return response;
			}
			Thread.sleep(20);
		}
		throw new AssertionError("/readyz never answered " + status);
	}

	private static long waitUntilConnectionsAreRefused(int port) throws Exception {
		for (int i = 0; i < 500; i++) {
			try (HttpConnection connection = HttpConnection.open(port)) {
				connection.send("GET", "/livez", null);
			}
			catch (IOException ex) {
				return System.nanoTime();
			}
			Thread.sleep(20);
		}
		throw new AssertionError("The listener never stopped");
	}

	private long firstRefusingTraffic() {
		return events.stream()
			.filter((event) -> event.state() == ReadinessState.REFUSING_TRAFFIC)
			.mapToLong(Event::nanos)
			.min()
			.orElseThrow();
	}

	private static Response call(int port, String path) {
		try {
			return HttpConnection.exchange(port, "GET", path, TestApiKeys.HEADER + ": " + TestApiKeys.LOCAL_KEY);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	record Event(Object state, long nanos) {
	}

	@RestController
	static class SlowController {

		static volatile CountDownLatch started = new CountDownLatch(1);

		@GetMapping("/api/test/slow")
		String slow(@RequestParam long millis) throws InterruptedException {
			started.countDown();
			Thread.sleep(millis);
			return "done";
		}

	}

}
