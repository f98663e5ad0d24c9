package com.example.service.order.inventory;

import java.time.Duration;

import io.github.resilience4j.core.IntervalFunction;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.NestedExceptionUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Startup refuses inventory settings that could keep a request thread longer than the
 * budget, or that cannot work at all, and says which setting to change.
 */
class InventoryPropertiesTest {

	private final ApplicationContextRunner context = new ApplicationContextRunner()
		.withUserConfiguration(Properties.class)
		.withPropertyValues("app.inventory.base-url=http://inventory:8080");

	@Test
	void defaultsFitTheBudget() {
		context.run((context) -> {
			InventoryProperties properties = context.getBean(InventoryProperties.class);
			assertThat(properties.retry().worstCaseBackoff()).isEqualTo(Duration.ofMillis(151 + 301));
			assertThat(properties.worstCase()).isEqualTo(Duration.ofMillis(3 * (1000 + 50) + 452));
			assertThat(properties.worstCase()).isLessThanOrEqualTo(properties.budget());
		});
	}

	@Test
	void refusesSettingsOverTheBudget() {
		context.withPropertyValues("app.inventory.read-timeout=2s")
			.run((context) -> assertThat(failure(context)).contains("3 attempts x (read-timeout 2000 ms + 50 ms")
				.contains("= 6602 ms, over app.inventory.budget 4000 ms"));
	}

	@Test
	void countsEveryAttemptAgainstTheBudget() {
		context.withPropertyValues("app.inventory.retry.max-attempts=4")
			.run((context) -> assertThat(failure(context)).contains("4 attempts"));
		context.withPropertyValues("app.inventory.retry.max-attempts=4", "app.inventory.budget=5300ms")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void requiresABaseUrlWhileEnabled() {
		new ApplicationContextRunner().withUserConfiguration(Properties.class)
			.run((context) -> assertThat(failure(context)).contains("APP_INVENTORY_BASE_URL")
				.contains("APP_INVENTORY_ENABLED=false"));
		new ApplicationContextRunner().withUserConfiguration(Properties.class)
			.withPropertyValues("app.inventory.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void refusesAConnectTimeoutLongerThanTheReadTimeout() {
		context.withPropertyValues("app.inventory.connect-timeout=2s")
			.run((context) -> assertThat(failure(context)).contains("connect-timeout (2000 ms) must not exceed"));
	}

	@Test
	void refusesUnknownKeysAndOutOfRangeValues() {
		context.withPropertyValues("app.inventory.read-timout=1s").run((context) -> assertThat(context).hasFailed());
		context.withPropertyValues("app.inventory.retry.jitter=1").run((context) -> assertThat(context).hasFailed());
		context.withPropertyValues("app.inventory.bulkhead.max-concurrent-calls=0")
			.run((context) -> assertThat(context).hasFailed());
		context.withPropertyValues("app.inventory.read-timeout=0s").run((context) -> assertThat(context).hasFailed());
	}

	@Test
	void theBackoffBoundHoldsForEveryDrawOfResilience4jsJitter() {
		InventoryProperties.RetrySettings retry = new InventoryProperties.RetrySettings(4, Duration.ofMillis(100), 1.5,
				0.9, Duration.ofMillis(250));
		IntervalFunction backoff = IntervalFunction.ofExponentialRandomBackoff(retry.initialBackoff(),
				retry.multiplier(), retry.jitter(), retry.maxBackoff());
		long longest = 0;
		for (int i = 0; i < 20_000; i++) {
			longest = Math.max(longest, backoff.apply(1) + backoff.apply(2) + backoff.apply(3));
		}
		assertThat(longest).isLessThanOrEqualTo(retry.worstCaseBackoff().toMillis());
	}

	private static String failure(AssertableApplicationContext context) {
		assertThat(context).hasFailed();
		Throwable root = NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure());
		return String.valueOf(root.getMessage());
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(InventoryProperties.class)
	static class Properties {

	}

}
