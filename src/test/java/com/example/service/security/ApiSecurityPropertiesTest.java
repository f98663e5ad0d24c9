package com.example.service.security;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;

class ApiSecurityPropertiesTest {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withUserConfiguration(Properties.class);

	@Test
	void defaultsToClosedCorsAnd64KilobyteBodies() {
		runner.run((context) -> {
			ApiSecurityProperties properties = context.getBean(ApiSecurityProperties.class);
			assertThat(properties.apiKeys()).isEmpty();
			assertThat(properties.cors().allowedOrigins()).isEmpty();
			assertThat(properties.maxRequestBodySize()).isEqualTo(DataSize.ofKilobytes(64));
		});
	}

	@Test
	void refusesUnknownKeys() {
		runner.withPropertyValues("app.security.api-key=client:abc").run((context) -> assertThat(context).hasFailed());
		runner.withPropertyValues("app.security.cors.allowed-origin=https://a.example")
			.run((context) -> assertThat(context).hasFailed());
	}

	@EnableConfigurationProperties(ApiSecurityProperties.class)
	static class Properties {

	}

}
