package com.example.service;

import com.example.service.testsupport.PostgresContainerConfiguration;

import org.springframework.boot.SpringApplication;

/**
 * Runs the service against PostgreSQL in a container:
 * {@code ./mvnw spring-boot:test-run}. Needs a Docker engine.
 */
public class TestApplication {

	public static void main(String[] args) {
		SpringApplication.from(Application::main)
			.with(PostgresContainerConfiguration.class)
			.withAdditionalProfiles("local")
			.run(args);
	}

}
