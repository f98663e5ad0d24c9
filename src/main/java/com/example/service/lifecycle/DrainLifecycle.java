package com.example.service.lifecycle;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.diagnostics.FailureAnalyzedException;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The first step of shutdown: tell the router to go away, then give it time to do so.
 * <p>
 * It stops in the very first lifecycle phase, well before
 * {@link WebServerApplicationContext#GRACEFUL_SHUTDOWN_PHASE} where Tomcat stops
 * accepting connections. On stop it publishes readiness {@code REFUSING_TRAFFIC}, turns
 * on {@link ConnectionCloseFilter} (every response then says {@code Connection: close},
 * so keep-alive clients reconnect elsewhere instead of being reset later) and waits the
 * drain delay. The wait runs on its own thread and reports through the phase callback, so
 * the phase timeout ({@code spring.lifecycle.timeout-per-shutdown-phase}) still bounds
 * it. Liveness is never touched: a draining instance is healthy and must not be
 * restarted.
 */
@Component
class DrainLifecycle implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(DrainLifecycle.class);

	/** Stop first: before everything in the default phase and before the web server. */
	static final int PHASE = SmartLifecycle.DEFAULT_PHASE;

	/** Spring's default for {@code spring.lifecycle.timeout-per-shutdown-phase}. */
	private static final Duration DEFAULT_PHASE_TIMEOUT = Duration.ofSeconds(30);

	private final ApplicationEventPublisher events;

	private final Duration drainDelay;

	private final ConnectionCloseFilter connections;

	private volatile boolean running;

	DrainLifecycle(ApplicationEventPublisher events, ConnectionCloseFilter connections, LifecycleProperties properties,
			Environment environment) {
		this.events = events;
		this.connections = connections;
		this.drainDelay = properties.drainDelay();
		requireShorterThanPhaseTimeout(this.drainDelay, environment);
	}

	@Override
	public void start() {
		running = true;
	}

	@Override
	public void stop() {
		throw new UnsupportedOperationException("Stop must not be invoked directly");
	}

	/**
	 * Spring Boot publishes {@code REFUSING_TRAFFIC} itself as the context starts
	 * closing, before any lifecycle stops. Ordered first among the listeners, this turns
	 * {@code Connection: close} on before the readiness endpoint can answer 503, so no
	 * response of a draining instance goes without it.
	 */
	@EventListener
	@Order(Ordered.HIGHEST_PRECEDENCE)
	void onReadiness(AvailabilityChangeEvent<ReadinessState> event) {
		if (event.getState() == ReadinessState.REFUSING_TRAFFIC && !drainDelay.isZero()) {
			connections.startDraining();
		}
	}

	@Override
	public void stop(Runnable callback) {
		running = false;
		if (!drainDelay.isZero()) {
			connections.startDraining();
		}
		AvailabilityChangeEvent.publish(events, this, ReadinessState.REFUSING_TRAFFIC);
		if (drainDelay.isZero()) {
			log.info("Shutdown: drain disabled (app.lifecycle.drain-delay=0), stopping the listener now");
			callback.run();
			return;
		}
		log.info("Shutdown: readiness REFUSING_TRAFFIC, responses carry 'Connection: close'; "
				+ "the listener stops in {} ms", drainDelay.toMillis());
		Thread.ofPlatform().name("drain").daemon().start(() -> {
			try {
				Thread.sleep(drainDelay);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			finally {
				log.info("Shutdown: drain delay over, graceful shutdown of the web server begins");
				callback.run();
			}
		});
	}

	@Override
	public boolean isRunning() {
		return running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	@Override
	public boolean isPauseable() {
		return false;
	}

	private static void requireShorterThanPhaseTimeout(Duration drainDelay, Environment environment) {
		Duration phaseTimeout = Binder.get(environment)
			.bind("spring.lifecycle.timeout-per-shutdown-phase", Duration.class)
			.orElse(DEFAULT_PHASE_TIMEOUT);
		if (drainDelay.compareTo(phaseTimeout) >= 0) {
			throw new FailureAnalyzedException(
					"app.lifecycle.drain-delay (" + drainDelay + ") is not shorter than "
							+ "spring.lifecycle.timeout-per-shutdown-phase (" + phaseTimeout
							+ "): shutdown would give up on the drain and stop the listener early.",
					"Lower APP_LIFECYCLE_DRAIN_DELAY or raise spring.lifecycle.timeout-per-shutdown-phase, and keep "
							+ "the platform's grace period (terminationGracePeriodSeconds) above their sum.");
		}
	}

}
