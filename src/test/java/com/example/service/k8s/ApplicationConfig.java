package com.example.service.k8s;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.FileSystemResource;

/**
 * The application's configuration as a pod of these manifests sees it:
 * {@code src/main/resources/application.yml} (documents without a profile condition, plus
 * those for the Kubernetes cloud platform) overridden by the pod's environment variables,
 * bound with Spring Boot's own relaxed binding and conversions.
 */
final class ApplicationConfig {

	static final Path APPLICATION_YML = Manifests.ROOT.resolve("src/main/resources/application.yml");

	/**
	 * Spring Boot's default when {@code spring.lifecycle.timeout-per-shutdown-phase} is
	 * not set.
	 */
	private static final Duration BOOT_DEFAULT_SHUTDOWN_PHASE = Duration.ofSeconds(30);

	/**
	 * The application's default for {@code app.lifecycle.drain-delay} (shared contract).
	 */
	private static final Duration DEFAULT_DRAIN_DELAY = Duration.ofSeconds(5);

	private final Binder binder;

	private ApplicationConfig(Binder binder) {
		this.binder = binder;
	}

	/**
	 * The configuration for a pod with the given environment.
	 * @param podEnvironment environment variables of the container
	 * @return the configuration
	 */
	static ApplicationConfig forPod(Map<String, String> podEnvironment) {
		if (!Files.isRegularFile(APPLICATION_YML)) {
			throw new AssertionError(APPLICATION_YML + " not found: the Kubernetes checks compare probes, ports and "
					+ "shutdown timings with the application's configuration and cannot run without it");
		}
		StandardEnvironment environment = new StandardEnvironment();
		MutablePropertySources sources = environment.getPropertySources();
		// Only what the pod sees: not the environment or system properties of the JVM
		// running this test.
		sources.remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
		sources.remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
		sources.addFirst(new SystemEnvironmentPropertySource(
				StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, Map.copyOf(podEnvironment)));
		for (PropertySource<?> document : applicationYamlDocuments()) {
			sources.addLast(document);
		}
		return new ApplicationConfig(Binder.get(environment));
	}

	/** Later documents win, so they go first. */
	private static List<PropertySource<?>> applicationYamlDocuments() {
		try {
			List<PropertySource<?>> documents = new YamlPropertySourceLoader().load("application.yml",
					new FileSystemResource(APPLICATION_YML));
			return documents.stream()
				.filter((document) -> document.getProperty("spring.config.activate.on-profile") == null)
				.filter((document) -> {
					Object platform = document.getProperty("spring.config.activate.on-cloud-platform");
					return platform == null || platform.toString().equalsIgnoreCase("kubernetes");
				})
				.toList()
				.reversed();
		}
		catch (IOException ex) {
			throw new AssertionError("cannot read " + APPLICATION_YML, ex);
		}
	}

	int serverPort() {
		return this.binder.bind("server.port", Integer.class).orElse(8080);
	}

	/**
	 * The management port; the contract requires one of its own.
	 * @return {@code management.server.port}
	 */
	int managementPort() {
		return this.binder.bind("management.server.port", Integer.class)
			.orElseThrow(() -> new AssertionError("management.server.port is not set in " + APPLICATION_YML));
	}

	/**
	 * Probe paths served on the main (API) port.
	 * @param group {@code liveness}, {@code readiness} or {@code startup}
	 * @return the path, or {@code null} if the group is not on the main port
	 */
	@Nullable String mainPortProbePath(String group) {
		String additionalPath = this.binder
			.bind("management.endpoint.health.group." + group + ".additional-path", String.class)
			.orElse(null);
		if (additionalPath != null && additionalPath.startsWith("server:")) {
			return additionalPath.substring("server:".length());
		}
		boolean addAdditionalPaths = this.binder
			.bind("management.endpoint.health.probes.add-additional-paths", Boolean.class)
			.orElse(false);
		boolean probesEnabled = this.binder.bind("management.endpoint.health.probes.enabled", Boolean.class)
			.orElse(true);
		if (addAdditionalPaths && probesEnabled && !group.equals("startup")) {
			return group.equals("liveness") ? "/livez" : "/readyz";
		}
		return null;
	}

	String shutdownMode() {
		return this.binder.bind("server.shutdown", String.class).orElse("graceful");
	}

	Duration shutdownPhaseTimeout() {
		return this.binder.bind("spring.lifecycle.timeout-per-shutdown-phase", Duration.class)
			.orElse(BOOT_DEFAULT_SHUTDOWN_PHASE);
	}

	Duration drainDelay() {
		return this.binder.bind("app.lifecycle.drain-delay", Duration.class).orElse(DEFAULT_DRAIN_DELAY);
	}

	/**
	 * Where the Prometheus scrape endpoint is served on the management port.
	 * @return the path, e.g. {@code /actuator/prometheus}
	 */
	String prometheusPath() {
		String basePath = this.binder.bind("management.endpoints.web.base-path", String.class).orElse("/actuator");
		String mapped = this.binder.bind("management.endpoints.web.path-mapping.prometheus", String.class)
			.orElse("prometheus");
		return (basePath.equals("/") ? "" : basePath) + "/" + mapped;
	}

	List<String> exposedEndpoints() {
		return this.binder.bind("management.endpoints.web.exposure.include", Bindable.listOf(String.class))
			.orElse(List.of("health"));
	}

	List<String> configImports() {
		return this.binder.bind("spring.config.import", Bindable.listOf(String.class)).orElse(List.of());
	}

}
