package com.example.service.ratelimit;

import java.time.Duration;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

class RateLimitPropertiesTest {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
		.withUserConfiguration(RateLimitConfiguration.class)
		.withBean(SimpleMeterRegistry.class);

	@Test
	void defaultsTo100ReadsAnd20WritesPerSecondWithoutTrustedProxies() {
		runner.run((context) -> {
			RateLimitProperties properties = context.getBean(RateLimitProperties.class);
			assertThat(properties.reads()).isEqualTo(new RateLimitProperties.Policy(100, Duration.ofSeconds(1)));
			assertThat(properties.writesPolicy()).isEqualTo(new RateLimitProperties.Policy(20, Duration.ofSeconds(1)));
			assertThat(properties.trustedProxies()).isEmpty();
			assertThat(properties.forwardedHeader()).isEqualTo(ForwardedHeader.X_FORWARDED_FOR);
			assertThat(context).hasSingleBean(RateLimitFilter.class);
		});
	}

	@Test
	void bindsTheEnvironmentVariables() {
		runner
			.withPropertyValues("app.ratelimit.trusted-proxies=10.0.0.0/8,192.168.0.1",
					"app.ratelimit.forwarded-header=forwarded", "app.ratelimit.writes.limit=5",
					"app.ratelimit.writes.period=1m")
			.run((context) -> {
				RateLimitProperties properties = context.getBean(RateLimitProperties.class);
				assertThat(properties.trustedProxies()).containsExactly("10.0.0.0/8", "192.168.0.1");
				assertThat(properties.forwardedHeader()).isEqualTo(ForwardedHeader.FORWARDED);
				assertThat(properties.writesPolicy())
					.isEqualTo(new RateLimitProperties.Policy(5, Duration.ofMinutes(1)));
			});
	}

	@ParameterizedTest
	@ValueSource(strings = { "app.ratelimit.default.period=1500ms", "app.ratelimit.default.period=0s",
			"app.ratelimit.default.limit=0", "app.ratelimit.writes.period=1m&app.ratelimit.idle-expiry=30s",
			"app.ratelimit.max-clients=0", "app.ratelimit.defualt.limit=5",
			"app.ratelimit.trusted-proxies=proxy.example.com", "app.ratelimit.trusted-proxies=10.0.0.0/40" })
	void refusesToStartWithABadSetting(String setting) {
		runner.withPropertyValues(setting.split("&")).run((context) -> assertThat(context).hasFailed());
	}

	@Test
	void keepsIdleLimitersAtLeastForTheLongestPeriod() {
		runner.withPropertyValues("app.ratelimit.writes.limit=100", "app.ratelimit.writes.period=5m")
			.run((context) -> assertThat(context.getBean(RateLimitProperties.class).idleTime())
				.isEqualTo(Duration.ofMinutes(5)));
	}

	@Test
	void canBeSwitchedOff() {
		runner.withPropertyValues("app.ratelimit.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(RateLimitFilter.class));
	}

}
