package com.example.service.lifecycle;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Shutdown settings. Unknown keys under {@code app.lifecycle} fail the startup, so a typo
 * cannot silently disable the drain.
 *
 * @param drainDelay how long, after SIGTERM, the service keeps serving with readiness
 * REFUSING_TRAFFIC and {@code Connection: close} on every response before Tomcat's
 * graceful shutdown stops the listener. It must cover the time the router in front needs
 * to notice (HAProxy or nginx health checks, the end of a Kubernetes preStop sleep for
 * connections that kube-proxy still routes here). {@code 0} disables the drain entirely:
 * no delay and no {@code Connection: close}. Must be shorter than
 * {@code spring.lifecycle.timeout-per-shutdown-phase}.
 */
@Validated
@ConfigurationProperties(prefix = "app.lifecycle", ignoreUnknownFields = false)
record LifecycleProperties(@DefaultValue("5s") @NotNull @DurationMin(seconds = 0,
		message = "must not be negative (0 disables the drain)") @DurationMax(minutes = 1,
				message = "must be at most 1 minute: the drain is followed by the graceful shutdown, and both must fit in "
						+ "the platform's termination grace period") Duration drainDelay) {

	boolean drainEnabled() {
		return !drainDelay.isZero();
	}

}
