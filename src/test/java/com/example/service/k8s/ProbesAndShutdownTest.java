package com.example.service.k8s;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LifecycleHandler;
import io.fabric8.kubernetes.api.model.Probe;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Probes point at paths and ports the application really serves (read from its
 * application.yml and the pod's environment), and the termination grace period covers
 * preStop sleep + drain + graceful shutdown + margin.
 */
class ProbesAndShutdownTest {

	/** Seconds left for the JVM to exit after the shutdown phase (shared contract). */
	private static final long MARGIN_SECONDS = 10;

	static List<String> overlays() {
		return PodHardeningTest.overlays();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("overlays")
	void probesUseTheMainPortPathsOfTheApplication(String overlay) {
		Manifests rendered = Manifests.render(Manifests.ROOT.resolve(overlay));
		rendered.podTemplates().forEach((name, template) -> {
			Container app = Manifests.app(template);
			ApplicationConfig config = ApplicationConfig.forPod(rendered.environment(app));
			String where = overlay + ": " + name + " ";
			String liveness = config.mainPortProbePath("liveness");
			String readiness = config.mainPortProbePath("readiness");
			assertThat(liveness)
				.as(where + "application serves liveness on the main port "
						+ "(management.endpoint.health.probes.add-additional-paths=true)")
				.isNotNull();
			assertThat(readiness).as(where + "application serves readiness on the main port").isNotNull();
			String startup = Objects.requireNonNullElse(config.mainPortProbePath("startup"), liveness);
			assertProbe(where + "startupProbe (the startup group's path, else liveness)", app.getStartupProbe(), app,
					startup, config.serverPort());
			assertProbe(where + "livenessProbe", app.getLivenessProbe(), app, liveness, config.serverPort());
			assertProbe(where + "readinessProbe", app.getReadinessProbe(), app, readiness, config.serverPort());
			assertThat(app.getStartupProbe().getPeriodSeconds() * app.getStartupProbe().getFailureThreshold())
				.as(where + "startup budget in seconds")
				.isGreaterThanOrEqualTo(60);
		});
	}

	private void assertProbe(String where, Probe probe, Container container, String path, int port) {
		assertThat(probe).as(where).isNotNull();
		assertThat(probe.getHttpGet()).as(where + " httpGet").isNotNull();
		assertThat(probe.getHttpGet().getPath()).as(where + " path").isEqualTo(path);
		assertThat(portNumber(container, probe.getHttpGet().getPort())).as(where + " port (server.port)")
			.isEqualTo(port);
		assertThat(probe.getTimeoutSeconds()).as(where + " timeoutSeconds").isNotNull();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("overlays")
	void containerPortsMatchTheApplication(String overlay) {
		Manifests rendered = Manifests.render(Manifests.ROOT.resolve(overlay));
		rendered.podTemplates().forEach((name, template) -> {
			Container app = Manifests.app(template);
			ApplicationConfig config = ApplicationConfig.forPod(rendered.environment(app));
			assertThat(portNumber(app, new IntOrString("http"))).as(overlay + ": " + name + " port http")
				.isEqualTo(config.serverPort());
			assertThat(portNumber(app, new IntOrString("management"))).as(overlay + ": " + name + " port management")
				.isEqualTo(config.managementPort());
			assertThat(rendered.environment(app)).as("no profile: the production defaults of application.yml apply")
				.doesNotContainKey("SPRING_PROFILES_ACTIVE");
		});
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("overlays")
	void gracePeriodCoversPreStopDrainAndShutdown(String overlay) {
		Manifests rendered = Manifests.render(Manifests.ROOT.resolve(overlay));
		rendered.podTemplates().forEach((name, template) -> {
			Container app = Manifests.app(template);
			ApplicationConfig config = ApplicationConfig.forPod(rendered.environment(app));
			assertThat(config.shutdownMode()).as("server.shutdown").isEqualTo("graceful");
			long preStop = preStopSleepSeconds(app);
			long drain = config.drainDelay().toSeconds();
			long shutdown = config.shutdownPhaseTimeout().toSeconds();
			long grace = template.getSpec().getTerminationGracePeriodSeconds();
			assertThat(preStop).as("%s: %s preStop sleep", overlay, name).isPositive();
			assertThat(preStop + drain + shutdown + MARGIN_SECONDS)
				.as("%s: %s preStop %ds + drain %ds (app.lifecycle.drain-delay) + shutdown phase %ds "
						+ "(spring.lifecycle.timeout-per-shutdown-phase) + margin %ds must fit in "
						+ "terminationGracePeriodSeconds %d", overlay, name, preStop, drain, shutdown, MARGIN_SECONDS,
						grace)
				.isLessThanOrEqualTo(grace);
		});
	}

	/**
	 * The native sleep action (Kubernetes 1.30+); the documented fallback for older
	 * clusters is exec sleep.
	 */
	static long preStopSleepSeconds(Container container) {
		LifecycleHandler preStop = container.getLifecycle().getPreStop();
		assertThat(preStop).as("preStop").isNotNull();
		if (preStop.getSleep() != null) {
			return preStop.getSleep().getSeconds();
		}
		List<String> command = preStop.getExec().getCommand();
		assertThat(command).as("preStop exec").hasSize(2).first().isIn("sleep", "/bin/sleep");
		return Duration.ofSeconds(Long.parseLong(command.get(1))).toSeconds();
	}

	static int portNumber(Container container, IntOrString port) {
		if (port.getIntVal() != null) {
			return port.getIntVal();
		}
		return container.getPorts()
			.stream()
			.filter((p) -> port.getStrVal().equals(p.getName()))
			.map(ContainerPort::getContainerPort)
			.findFirst()
			.orElseThrow(() -> new AssertionError("no container port named " + port.getStrVal()));
	}

}
