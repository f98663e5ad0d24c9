package com.example.service.security;

import com.example.service.testsupport.LocalServer;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Someone exposes more actuator endpoints by configuration: the filter chain still keeps
 * them closed.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "management.server.port=0", "management.endpoints.web.exposure.include=*",
				"management.endpoint.env.show-values=always" })
@ActiveProfiles("local")
class ExposedByMistakeTest {

	@LocalManagementPort
	private int managementPort;

	@Autowired
	private PathMappedEndpoints endpoints;

	@Test
	void keepsEveryOtherEndpointClosed() throws Exception {
		assertThat(endpoints.getPath(EndpointId.of("env"))).as("env is exposed").isEqualTo("/actuator/env");
		LocalServer management = new LocalServer(managementPort);
		assertThat(management.get("/actuator/health").statusCode()).isEqualTo(200);
		for (String endpoint : ActuatorLockdownTest.HIDDEN) {
			assertThat(management.get("/actuator" + endpoint).statusCode()).as(endpoint).isEqualTo(404);
		}
	}

}
