package com.example.service.lifecycle;

import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroup;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.boot.health.contributor.HealthContributors;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which health checks each probe contains, and where each endpoint is served: probes on
 * the API port, the rest of actuator only on the management port.
 */
// An embedded database of its own: orders written here must not show up in other test
// classes.
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = { "management.server.port=0",
		"spring.datasource.url=jdbc:h2:mem:observability;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1" })
@ActiveProfiles("local")
class HealthGroupsTest {

	@Autowired
	private HealthEndpointGroups groups;

	@Autowired
	private HealthContributorRegistry contributors;

	@Autowired
	private ApplicationContext context;

	@LocalServerPort
	private int port;

	@LocalManagementPort
	private int managementPort;

	@AfterEach
	void restoreState() {
		AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC);
		AvailabilityChangeEvent.publish(context, LivenessState.CORRECT);
	}

	@Test
	void probesContainOnlyTheApplicationsOwnState() {
		assertThat(contributors.stream().map(HealthContributors.Entry::name)).contains("db", "diskSpace", "ping",
				"livenessState", "readinessState");
		assertThat(members("liveness")).containsExactly("livenessState");
		assertThat(members("readiness")).containsExactly("readinessState");
		assertThat(members("startup")).containsExactlyInAnyOrder("livenessState", "readinessState");
	}

	@Test
	void probesAreServedOnTheApiPortWithoutDetails() throws Exception {
		for (String probe : new String[] { "/livez", "/readyz", "/startupz" }) {
			HttpConnection.Response response = HttpConnection.exchange(port, "GET", probe);
			assertThat(response.status()).as(probe).isEqualTo(200);
			assertThat(response.body()).as(probe).isEqualTo("{\"status\":\"UP\"}");
		}
	}

	@Test
	void theRestOfActuatorIsOnlyOnTheManagementPort() throws Exception {
		for (String path : new String[] { "/actuator/health", "/actuator/prometheus", "/actuator/info" }) {
			assertThat(HttpConnection.exchange(port, "GET", path).status()).as(path).isEqualTo(404);
			assertThat(HttpConnection.exchange(managementPort, "GET", path).status()).as(path).isEqualTo(200);
		}
		assertThat(HttpConnection.exchange(managementPort, "GET", "/actuator/env").status()).isEqualTo(404);
	}

	@Test
	void readinessAndLivenessAnswerIndependently() throws Exception {
		AvailabilityChangeEvent.publish(context, ReadinessState.REFUSING_TRAFFIC);
		assertThat(HttpConnection.exchange(port, "GET", "/readyz").status()).isEqualTo(503);
		assertThat(HttpConnection.exchange(port, "GET", "/livez").status()).isEqualTo(200);

		AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC);
		AvailabilityChangeEvent.publish(context, LivenessState.BROKEN);
		assertThat(HttpConnection.exchange(port, "GET", "/livez").status()).isEqualTo(503);
		assertThat(HttpConnection.exchange(port, "GET", "/readyz").status()).isEqualTo(200);
	}

	private Set<String> members(String group) {
		HealthEndpointGroup health = groups.get(group);
		assertThat(health).as(group).isNotNull();
		return contributors.stream()
			.map(HealthContributors.Entry::name)
			.filter(health::isMember)
			.collect(Collectors.toSet());
	}

}
