package com.example.service.testsupport;

import org.testcontainers.postgresql.PostgreSQLContainer;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.context.annotation.Bean;

/**
 * PostgreSQL in a container, wired into the application by {@link ServiceConnection}.
 */
@TestConfiguration(proxyBeanMethods = false)
public class PostgresContainerConfiguration {

	@Bean
	@ServiceConnection
	PostgreSQLContainer postgres() {
		return new PostgreSQLContainer(TestDatabase.image());
	}

}
