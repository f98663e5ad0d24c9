package com.example.service.lifecycle;

import java.net.InetAddress;
import java.net.ServerSocket;

import com.example.service.Application;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Bad configuration stops the startup with a message that names the setting and what to
 * do, as the operator sees it on the console.
 */
@ExtendWith(OutputCaptureExtension.class)
class FailFastTest {

	private static final String[] LOCAL = { "--spring.profiles.active=local", "--server.port=0",
			"--management.server.port=0" };

	@Test
	void namesTheUnknownSlot(CapturedOutput output) {
		failsToStart("--app.slot=purple");
		assertThat(output).contains("APPLICATION FAILED TO START", "app.slot", "purple", "BLUE", "GREEN", "NONE");
	}

	@Test
	void refusesANegativeDrainDelay(CapturedOutput output) {
		failsToStart("--app.lifecycle.drain-delay=-1s");
		assertThat(output).contains("APPLICATION FAILED TO START", "app.lifecycle.drain-delay",
				"must not be negative (0 disables the drain)");
	}

	@Test
	void refusesAMistypedLifecycleKey(CapturedOutput output) {
		failsToStart("--app.lifecycle.drain-dealy=5s");
		assertThat(output).contains("APPLICATION FAILED TO START", "app.lifecycle.drain-dealy");
	}

	@Test
	void refusesADrainLongerThanTheShutdownPhase(CapturedOutput output) {
		failsToStart("--app.lifecycle.drain-delay=25s");
		assertThat(output).contains("APPLICATION FAILED TO START",
				"app.lifecycle.drain-delay (PT25S) is not shorter than spring.lifecycle.timeout-per-shutdown-phase",
				"APP_LIFECYCLE_DRAIN_DELAY");
	}

	@Test
	void explainsAMissingDatabaseOutsideTheLocalProfile(CapturedOutput output) {
		assertThatException().isThrownBy(() -> SpringApplication.run(Application.class, "--spring.datasource.url=",
				"--server.port=0", "--management.server.port=0", "--app.inventory.enabled=false"));
		assertThat(output).contains("APPLICATION FAILED TO START", "No database is configured", "SPRING_DATASOURCE_URL",
				"spring-boot:run");
		assertThat(output).doesNotContain("please put it on the classpath");
	}

	@Test
	void namesTheApiPortWhenItIsTaken(CapturedOutput output) throws Exception {
		try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("0.0.0.0"))) {
			int port = taken.getLocalPort();
			assertThatException().isThrownBy(() -> SpringApplication.run(Application.class,
					"--spring.profiles.active=local", "--server.port=" + port, "--management.server.port=0"));
			assertThat(output).contains("APPLICATION FAILED TO START", "Port " + port + " is already in use",
					"the API port (server.port", "SERVER_PORT=");
		}
	}

	@Test
	void namesTheManagementPortWhenItIsTaken(CapturedOutput output) throws Exception {
		try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("0.0.0.0"))) {
			int port = taken.getLocalPort();
			assertThatException().isThrownBy(() -> SpringApplication.run(Application.class,
					"--spring.profiles.active=local", "--server.port=0", "--management.server.port=" + port));
			assertThat(output).contains("APPLICATION FAILED TO START", "Port " + port + " is already in use",
					"the management port (management.server.port", "MANAGEMENT_SERVER_PORT=");
		}
	}

	private static void failsToStart(String argument) {
		String[] arguments = new String[LOCAL.length + 1];
		System.arraycopy(LOCAL, 0, arguments, 0, LOCAL.length);
		arguments[LOCAL.length] = argument;
		assertThatException().isThrownBy(() -> {
			try (ConfigurableApplicationContext context = SpringApplication.run(Application.class, arguments)) {
				// started: the assertion below fails
			}
		});
	}

}
