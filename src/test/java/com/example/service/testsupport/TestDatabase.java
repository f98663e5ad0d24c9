package com.example.service.testsupport;

import org.jspecify.annotations.Nullable;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.utility.DockerImageName;

/**
 * Decides, once per JVM, which PostgreSQL the integration tests use: a Testcontainers
 * container when a Docker engine is available, otherwise the server named by
 * {@code TEST_DATABASE_URL} (how CI services work), otherwise none, and the tests are
 * skipped with {@link #reason()}. {@code TEST_DATABASE=container} or {@code external}
 * forces a mode and fails loudly if it is not available.
 */
public final class TestDatabase {

	/**
	 * Official image by default; override (for example with a local mirror) via
	 * {@code POSTGRES_IMAGE}.
	 */
	static final String DEFAULT_IMAGE = "postgres:17";

	public enum Mode {

		CONTAINER, EXTERNAL, NONE

	}

	private static @Nullable Mode mode;

	private TestDatabase() {
	}

	public static synchronized Mode mode() {
		if (mode == null) {
			mode = detect();
			System.err.println("[test-database] integration tests use: " + describe());
		}
		return mode;
	}

	public static DockerImageName image() {
		String image = env("POSTGRES_IMAGE");
		return DockerImageName.parse((image != null) ? image : DEFAULT_IMAGE).asCompatibleSubstituteFor("postgres");
	}

	static String url() {
		return required("TEST_DATABASE_URL");
	}

	static @Nullable String username() {
		return env("TEST_DATABASE_USERNAME");
	}

	static @Nullable String password() {
		return env("TEST_DATABASE_PASSWORD");
	}

	static String reason() {
		return "No PostgreSQL for integration tests: no Docker engine was found and TEST_DATABASE_URL is not set. "
				+ "Start Docker (Testcontainers runs " + image().asCanonicalNameString() + "), or point the tests at a "
				+ "server: TEST_DATABASE_URL=jdbc:postgresql://localhost:5432/db TEST_DATABASE_USERNAME=... "
				+ "TEST_DATABASE_PASSWORD=... ./mvnw verify";
	}

	private static String describe() {
		return switch (mode()) {
			case CONTAINER -> "Testcontainers " + image().asCanonicalNameString();
			case EXTERNAL -> "external server " + url().replaceAll("password=[^&]*", "password=***");
			case NONE -> "nothing (skipped): " + reason();
		};
	}

	private static Mode detect() {
		String forced = env("TEST_DATABASE");
		if ("container".equals(forced)) {
			if (!dockerAvailable()) {
				throw new IllegalStateException("TEST_DATABASE=container, but no Docker engine is available");
			}
			return Mode.CONTAINER;
		}
		if ("external".equals(forced)) {
			url();
			return Mode.EXTERNAL;
		}
		if (forced != null) {
			throw new IllegalStateException("TEST_DATABASE must be 'container' or 'external', not '" + forced + "'");
		}
		if (dockerAvailable()) {
			return Mode.CONTAINER;
		}
		return (env("TEST_DATABASE_URL") != null) ? Mode.EXTERNAL : Mode.NONE;
	}

	/**
	 * A Docker engine that Testcontainers finds but cannot use (no registry for its
	 * helper images, say) is an error to fix, not a reason to skip.
	 */
	private static boolean dockerAvailable() {
		try {
			return DockerClientFactory.instance().isDockerAvailable();
		}
		catch (RuntimeException ex) {
			throw new IllegalStateException("A Docker engine was found but Testcontainers cannot use it ("
					+ ex.getMessage() + "). Fix Docker (offline: see .ci/docker/README.md), or use an existing server: "
					+ "TEST_DATABASE=external TEST_DATABASE_URL=jdbc:postgresql://...", ex);
		}
	}

	private static String required(String name) {
		String value = env(name);
		if (value == null) {
			throw new IllegalStateException(name + " is not set");
		}
		return value;
	}

	private static @Nullable String env(String name) {
		String value = System.getenv(name);
		return (value == null || value.isBlank()) ? null : value;
	}

}
