package com.example.service.testsupport;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistrar;

/**
 * An existing PostgreSQL server named by {@code TEST_DATABASE_URL}.
 */
@TestConfiguration(proxyBeanMethods = false)
class ExternalPostgresConfiguration {

	@Bean
	DynamicPropertyRegistrar externalPostgres() {
		return (registry) -> {
			registry.add("spring.datasource.url", TestDatabase::url);
			registry.add("spring.datasource.username", TestDatabase::username);
			registry.add("spring.datasource.password", TestDatabase::password);
		};
	}

}
