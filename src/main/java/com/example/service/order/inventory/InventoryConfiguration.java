package com.example.service.order.inventory;

import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.retry.RetryRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.converter.json.JacksonJsonHttpMessageConverter;
import org.springframework.web.client.RestClient;

/**
 * The inventory client: over HTTP when {@code app.inventory.enabled} (the default), a
 * stand-in that reserves everything otherwise. Resilience4j's objects come from its
 * registries so that its metrics publish them; their settings come from
 * {@link InventoryProperties}, which checked them against the time budget.
 */
@Configuration(proxyBeanMethods = false)
class InventoryConfiguration {

	private static final Logger log = LoggerFactory.getLogger(InventoryConfiguration.class);

	@Bean
	InventoryClient inventoryClient(InventoryProperties properties, JsonMapper json,
			ObjectProvider<ObservationRegistry> observations, CircuitBreakerRegistry circuitBreakers,
			BulkheadRegistry bulkheads, RetryRegistry retries, MeterRegistry meters) {
		if (!properties.enabled()) {
			log.info("Inventory calls are off (app.inventory.enabled=false): every order's stock is reserved");
			return new NoopInventoryClient();
		}
		log.info("Inventory at {}: worst case {} ms per reservation, budget {} ms", properties.baseUrl(),
				properties.worstCase().toMillis(), properties.budget().toMillis());
		RestClient.Builder rest = RestClient.builder()
			.configureMessageConverters(
					(converters) -> converters.withJsonConverter(new JacksonJsonHttpMessageConverter(json)))
			.observationRegistry(observations.getIfAvailable(() -> ObservationRegistry.NOOP));
		InventoryCallGuard guard = InventoryCallGuard.create(properties, circuitBreakers, bulkheads, retries, meters);
		return new HttpInventoryClient(HttpInventoryClient.httpClient(properties), rest, properties, guard);
	}

}
