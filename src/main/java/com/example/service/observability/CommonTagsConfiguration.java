package com.example.service.observability;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.boot.micrometer.metrics.autoconfigure.MeterRegistryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Tags on every metric: {@code application}, {@code version} (from build-info) and
 * {@code slot}. Prometheus adds {@code instance} and {@code job} itself, so they are not
 * repeated here.
 */
@Configuration(proxyBeanMethods = false)
class CommonTagsConfiguration {

	/**
	 * Version tag when the build did not produce build-info (an IDE run, for example).
	 */
	static final String UNKNOWN_VERSION = "unknown";

	@Bean
	MeterRegistryCustomizer<MeterRegistry> commonTags(Environment environment, DeploymentProperties deployment,
			ObjectProvider<BuildProperties> build) {
		String application = environment.getProperty("spring.application.name", "application");
		BuildProperties properties = build.getIfAvailable();
		String version = (properties != null && properties.getVersion() != null) ? properties.getVersion()
				: UNKNOWN_VERSION;
		Tags tags = Tags.of("application", application, "version", version, "slot", deployment.slot().tagValue());
		return (registry) -> registry.config().commonTags(tags);
	}

}
