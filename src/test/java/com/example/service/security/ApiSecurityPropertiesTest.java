package com.example.service.security;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
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
	void bindsTheEnvironmentVariables() {
		runner.withInitializer((context) -> context.getEnvironment()
			.getPropertySources()
			.addFirst(new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
					Map.of("APP_SECURITY_API_KEYS", "a:" + "1".repeat(64) + ",b:" + "2".repeat(64),
							"APP_SECURITY_CORS_ALLOWED_ORIGINS", "https://a.example,https://b.example",
							"APP_SECURITY_MAX_REQUEST_BODY_SIZE", "1MB"))))
			.run((context) -> {
				ApiSecurityProperties properties = context.getBean(ApiSecurityProperties.class);
				assertThat(ApiKeys.parse(properties.apiKeys()).size()).isEqualTo(2);
				assertThat(properties.cors().allowedOrigins()).containsExactly("https://a.example",
						"https://b.example");
				assertThat(properties.maxRequestBodySize()).isEqualTo(DataSize.ofMegabytes(1));
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
