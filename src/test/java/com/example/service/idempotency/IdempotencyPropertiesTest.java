package com.example.service.idempotency;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class IdempotencyPropertiesTest {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withUserConfiguration(Properties.class);

	@Test
	void keepsResponsesADayAndPurgesEveryTenMinutes() {
		runner.run((context) -> assertThat(context.getBean(IdempotencyProperties.class))
			.isEqualTo(new IdempotencyProperties(Duration.ofHours(24), Duration.ofMinutes(10))));
	}

	/** A misspelt retention must not silently keep the 24 h default. */
	@Test
	void refusesUnknownKeys() {
		runner.withPropertyValues("app.idempotency.retension=1h")
			.run((context) -> assertThat(context).getFailure()
				.hasRootCauseInstanceOf(UnboundConfigurationPropertiesException.class)
				.rootCause()
				.hasMessageContaining("app.idempotency.retension"));
	}

	@EnableConfigurationProperties(IdempotencyProperties.class)
	static class Properties {

	}

}
