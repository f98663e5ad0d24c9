package com.example.service.lifecycle;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.function.IntSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.example.service.lifecycle.HttpConnection.Response;
import com.example.service.testsupport.RequiresPostgres;
import com.example.service.testsupport.TestApi;
import com.example.service.testsupport.TestApiKeys;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The database goes away and comes back while the service runs on PostgreSQL behind a
 * {@link TcpRelay}: the API answers 503 problems, liveness and readiness stay UP (no
 * restart storm, no pods flapping out of rotation), and the service recovers by itself.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "management.server.port=0", "spring.datasource.hikari.connection-timeout=1000",
				"app.inventory.enabled=false" })
@Import(TestApi.class)
@RequiresPostgres
class DatabaseOutageIT {

	private static final String KEY = TestApiKeys.HEADER + ": " + TestApiKeys.KEY;

	private static @Nullable TcpRelay relay;

	@LocalServerPort
	private int port;

	@LocalManagementPort
	private int managementPort;

	@AfterEach
	void restore() {
		relay().restore();
	}

	@Test
	void answersServiceUnavailableKeepsProbesUpAndRecoversByItself() throws Exception {
		assertThat(get(TestApi.PATH).status()).isEqualTo(200);

		relay().cut();
		for (String method : new String[] { "GET", "POST" }) {
			Response response = method.equals("POST") ? post() : get(TestApi.PATH);
			assertThat(response.status()).as(method).isEqualTo(503);
			assertThat(response.header("Content-Type")).isEqualTo("application/problem+json");
			assertThat(response.header("Retry-After")).isEqualTo("5");
		}
		assertThat(get("/livez").status()).as("liveness: a restart cannot fix the database").isEqualTo(200);
		assertThat(get("/readyz").status()).as("readiness: the database is not a member").isEqualTo(200);
		Response health = HttpConnection.exchange(managementPort, "GET", "/actuator/health");
		assertThat(health.status()).as("operators still see the outage").isEqualTo(503);

		relay().restore();
		assertThat(eventually(() -> post().status(), 201)).as("writes work again without a restart").isTrue();
		assertThat(get(TestApi.PATH).status()).isEqualTo(200);
		assertThat(HttpConnection.exchange(managementPort, "GET", "/actuator/health").status()).isEqualTo(200);
	}

	private Response get(String path) throws IOException {
		return HttpConnection.exchange(port, "GET", path, KEY);
	}

	private Response post() {
		try (HttpConnection connection = HttpConnection.open(port)) {
			return connection.send("POST", TestApi.PATH, TestApi.note(40), KEY);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static boolean eventually(IntSupplier status, int expected) throws Exception {
		long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
		while (System.nanoTime() < deadline) {
			if (status.getAsInt() == expected) {
				return true;
			}
			Thread.sleep(200);
		}
		return false;
	}

	private static TcpRelay relay() {
		assertThat(relay).as("the relay is created with the datasource").isNotNull();
		return relay;
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class ThroughRelay {

		private static final Pattern HOST_AND_PORT = Pattern.compile("jdbc:postgresql://([^/:?]+)(?::(\\d+))?(/.*)");

		/**
		 * Sends the application's database connections through a relay the test can cut.
		 */
		@Bean
		static BeanPostProcessor relayedJdbcConnection() {
			return new BeanPostProcessor() {
				@Override
				public Object postProcessAfterInitialization(Object bean, String name) {
					if (!(bean instanceof JdbcConnectionDetails details)) {
						return bean;
					}
					Matcher url = HOST_AND_PORT.matcher(details.getJdbcUrl());
					if (!url.matches()) {
						throw new IllegalStateException("Not a PostgreSQL URL: " + details.getJdbcUrl());
					}
					try {
						relay = new TcpRelay(url.group(1),
								(url.group(2) != null) ? Integer.parseInt(url.group(2)) : 5432);
					}
					catch (IOException ex) {
						throw new UncheckedIOException(ex);
					}
					String relayed = "jdbc:postgresql://127.0.0.1:" + relay.port() + url.group(3);
					return new JdbcConnectionDetails() {
						@Override
						public @Nullable String getUsername() {
							return details.getUsername();
						}

						@Override
						public @Nullable String getPassword() {
							return details.getPassword();
						}

						@Override
						public String getJdbcUrl() {
							return relayed;
						}
					};
				}
			};
		}

	}

}
