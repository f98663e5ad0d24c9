package com.example.service.lifecycle;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.web.server.PortInUseException;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

/**
 * Says which of the two ports is taken, which setting chooses it and how to find the
 * process that holds it. Replaces Boot's generic analysis (ordered first).
 */
class PortInUseFailureAnalyzer extends AbstractFailureAnalyzer<PortInUseException> implements Ordered {

	private final Environment environment;

	PortInUseFailureAnalyzer(Environment environment) {
		this.environment = environment;
	}

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, PortInUseException cause) {
		int port = cause.getPort();
		boolean management = String.valueOf(port).equals(environment.getProperty("management.server.port"));
		String role = management
				? "the management port (management.server.port, environment variable MANAGEMENT_SERVER_PORT), which "
						+ "serves /actuator/health, /actuator/info and /actuator/prometheus"
				: "the API port (server.port, environment variable SERVER_PORT), which serves the API and the "
						+ "probes /livez and /readyz";
		String variable = management ? "MANAGEMENT_SERVER_PORT" : "SERVER_PORT";
		return new FailureAnalysis("Port " + port + " is already in use. It is " + role + ".",
				"Stop the other process listening on port " + port + " (find it with: ss -ltnp 'sport = :" + port
						+ "' on Linux, lsof -i :" + port + " on macOS, netstat -ano | findstr :" + port
						+ " on Windows), or start this service on another port, for example " + variable + "="
						+ (port + 10000 <= 65535 ? port + 10000 : 0) + ".",
				cause);
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

}
