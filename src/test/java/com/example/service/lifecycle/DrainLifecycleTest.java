package com.example.service.lifecycle;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.boot.diagnostics.FailureAnalyzedException;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class DrainLifecycleTest {

	private final List<Object> events = new CopyOnWriteArrayList<>();

	private final ApplicationEventPublisher publisher = events::add;

	private final ConnectionCloseFilter connections = new ConnectionCloseFilter();

	private final MockEnvironment environment = new MockEnvironment()
		.withProperty("spring.lifecycle.timeout-per-shutdown-phase", "20s");

	@Test
	void stopsBeforeTheWebServerBeginsItsGracefulShutdown() {
		assertThat(drain("5s").getPhase()).isGreaterThan(WebServerApplicationContext.GRACEFUL_SHUTDOWN_PHASE);
	}

	@Test
	void refusesTrafficAndClosesConnectionsThenWaitsBeforeLettingShutdownContinue() throws Exception {
		DrainLifecycle drain = drain("300ms");
		drain.start();
		CountDownLatch done = new CountDownLatch(1);
		long start = System.nanoTime();
		drain.stop(done::countDown);

		assertThat(readinessStates()).containsExactly("REFUSING_TRAFFIC");
		assertThat(connections.isDraining()).isTrue();
		assertThat(done.getCount()).as("the callback waits for the drain delay").isEqualTo(1);
		assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
		assertThat(drain.isRunning()).isFalse();
		assertThat(events).noneMatch((event) -> event instanceof AvailabilityChangeEvent<?> change
				&& change.getState() instanceof LivenessState);
	}

	@Test
	void aZeroDelayDisablesTheDrain() {
		DrainLifecycle drain = drain("0s");
		drain.start();
		CountDownLatch done = new CountDownLatch(1);
		drain.stop(done::countDown);
		assertThat(done.getCount()).isZero();
		assertThat(connections.isDraining()).isFalse();
		assertThat(readinessStates()).containsExactly("REFUSING_TRAFFIC");
	}

	@Test
	void refusesADelayThatTheShutdownPhaseWouldCutShort() {
		assertThatExceptionOfType(FailureAnalyzedException.class).isThrownBy(() -> drain("20s"))
			.withMessageContaining("app.lifecycle.drain-delay (PT20S)")
			.withMessageContaining("spring.lifecycle.timeout-per-shutdown-phase (PT20S)");
	}

	private DrainLifecycle drain(String delay) {
		return new DrainLifecycle(publisher, connections, new LifecycleProperties(DurationStyle.detectAndParse(delay)),
				environment);
	}

	private List<String> readinessStates() {
		return events.stream()
			.filter(AvailabilityChangeEvent.class::isInstance)
			.map((event) -> ((AvailabilityChangeEvent<?>) event).getState().toString())
			.toList();
	}

}
