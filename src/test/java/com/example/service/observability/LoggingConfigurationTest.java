package com.example.service.observability;

import java.io.IOException;

import org.junit.jupiter.api.Test;

import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * JSON logs by default (what production runs), text in the local run, UTF-8 whatever the
 * platform's default.
 */
class LoggingConfigurationTest {

	@Test
	void productionLogsJsonInUtf8() throws IOException {
		PropertySource<?> production = load("application.yml");
		assertThat(production.getProperty("logging.structured.format.console")).hasToString("ecs");
		assertThat(production.getProperty("logging.charset.console")).hasToString("UTF-8");
		assertThat(production.getProperty("logging.charset.file")).hasToString("UTF-8");
	}

	@Test
	void theLocalRunLogsReadableText() throws IOException {
		assertThat(load("application-local.yml").getProperty("logging.structured.format.console")).hasToString("");
	}

	private static PropertySource<?> load(String name) throws IOException {
		return new YamlPropertySourceLoader().load(name, new ClassPathResource(name)).get(0);
	}

}
