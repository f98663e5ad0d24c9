package com.example.service.observability;

import java.util.Properties;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.info.BuildProperties;
import org.springframework.boot.micrometer.metrics.autoconfigure.MeterRegistryCustomizer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

class CommonTagsTest {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
		.withUserConfiguration(Deployment.class, CommonTagsConfiguration.class)
		.withPropertyValues("spring.application.name=orders");

	@ParameterizedTest
	@CsvSource({ "blue,blue", "GREEN,green", "none,none", "'',none" })
	void tagsTheSlot(String configured, String tag) {
		runner.withPropertyValues("app.slot=" + configured)
			.withBean(BuildProperties.class, () -> build("1.2.3"))
			.run((context) -> assertThat(tags(context.getBean(MeterRegistryCustomizer.class)))
				.isEqualTo("orders|1.2.3|" + tag));
	}

	@Test
	void slotDefaultsToNoneAndVersionToUnknownWithoutBuildInfo() {
		runner.run((context) -> assertThat(tags(context.getBean(MeterRegistryCustomizer.class)))
			.isEqualTo("orders|unknown|none"));
	}

	@Test
	void refusesAnUnknownSlot() {
		runner.withPropertyValues("app.slot=purple")
			.run((context) -> assertThat(context).hasFailed().getFailure().rootCause().hasMessageContaining("purple"));
	}

	@SuppressWarnings("unchecked")
	private static String tags(MeterRegistryCustomizer<?> customizer) {
		MeterRegistry registry = new SimpleMeterRegistry();
		((MeterRegistryCustomizer<MeterRegistry>) customizer).customize(registry);
		var id = registry.counter("probe").getId();
		return id.getTag("application") + "|" + id.getTag("version") + "|" + id.getTag("slot");
	}

	private static BuildProperties build(String version) {
		Properties properties = new Properties();
		properties.setProperty("version", version);
		return new BuildProperties(properties);
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(DeploymentProperties.class)
	static class Deployment {

	}

}
