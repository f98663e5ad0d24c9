package com.example.service.lifecycle;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/**
 * Outside the {@code local} profile the datasource must come from the environment. Boot's
 * own analysis suggests putting an embedded database on the classpath, which is exactly
 * what production must not do; this one names the variables to set.
 */
class MissingDatabaseFailureAnalyzer implements FailureAnalyzer, Ordered {

	/** Boot's (package-private) exception for a datasource it cannot configure. */
	private static final String DATASOURCE_FAILURE = "DataSourceBeanCreationException";

	private final Environment environment;

	MissingDatabaseFailureAnalyzer(Environment environment) {
		this.environment = environment;
	}

	@Override
	public @Nullable FailureAnalysis analyze(Throwable failure) {
		if (StringUtils.hasText(environment.getProperty("spring.datasource.url"))) {
			return null;
		}
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause.getClass().getSimpleName().equals(DATASOURCE_FAILURE)) {
				return new FailureAnalysis("No database is configured: spring.datasource.url "
						+ "(environment variable SPRING_DATASOURCE_URL) is not set. Outside the 'local' profile the "
						+ "service never falls back to an in-memory database.",
						"Set SPRING_DATASOURCE_URL (for example jdbc:postgresql://db.example:5432/orders), "
								+ "SPRING_DATASOURCE_USERNAME and SPRING_DATASOURCE_PASSWORD, or provide them as files "
								+ "in /etc/app/secrets. For a zero-setup run on your machine use the local profile: "
								+ "./mvnw spring-boot:run (or --spring.profiles.active=local).",
						cause);
			}
		}
		return null;
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

}
