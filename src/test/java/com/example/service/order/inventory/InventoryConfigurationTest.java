package com.example.service.order.inventory;

import java.util.UUID;

import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.retry.RetryRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.core.env.Environment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which inventory client the application gets, and that Resilience4j instances come from
 * app.inventory.* only.
 */
class InventoryConfigurationTest {

	private final ApplicationContextRunner context = new ApplicationContextRunner()
		.withUserConfiguration(Infrastructure.class, InventoryConfiguration.class);

	@Test
	void switchedOffItReservesEverythingWithoutCalling() {
		context.withPropertyValues("app.inventory.enabled=false").run((context) -> {
			InventoryClient client = context.getBean(InventoryClient.class);
			assertThat(client).isInstanceOf(NoopInventoryClient.class);
			client.reserve(new Reservation(UUID.randomUUID(), "SKU-1", 1));
			assertThat(context.getBean(CircuitBreakerRegistry.class).find("inventory")).isEmpty();
		});
	}

	@Test
	void switchedOnItCallsOverHttpBehindTheInventoryCircuitBreaker() {
		context.withPropertyValues("app.inventory.base-url=http://127.0.0.1:9").run((context) -> {
			assertThat(context.getBean(InventoryClient.class)).isInstanceOf(HttpInventoryClient.class);
			assertThat(context.getBean(CircuitBreakerRegistry.class).find("inventory")).isPresent();
			assertThat(context.getBean(MeterRegistry.class).find("inventory.calls").counters()).hasSize(5);
		});
	}

	@Test
	void refusesAnInventoryInstanceConfiguredThroughResilience4jProperties() {
		context.withPropertyValues("app.inventory.base-url=http://127.0.0.1:9", "test.retry-instance=inventory")
			.run((context) -> assertThat(
					NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()).getMessage())
				.contains("not with resilience4j.*.instances.inventory"));
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(InventoryProperties.class)
	static class Infrastructure {

		@Bean
		JsonMapper jsonMapper() {
			return JsonMapper.builder().build();
		}

		@Bean
		MeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

		@Bean
		CircuitBreakerRegistry circuitBreakerRegistry() {
			return CircuitBreakerRegistry.ofDefaults();
		}

		@Bean
		BulkheadRegistry bulkheadRegistry() {
			return BulkheadRegistry.ofDefaults();
		}

		/** With an instance created up front, as resilience4j.retry.instances.* does. */
		@Bean
		RetryRegistry retryRegistry(Environment environment) {
			RetryRegistry retries = RetryRegistry.ofDefaults();
			String preconfigured = environment.getProperty("test.retry-instance");
			if (preconfigured != null) {
				retries.retry(preconfigured);
			}
			return retries;
		}

	}

}
