package com.example.service.lifecycle;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Says where the service listens once it is ready, so a newcomer knows what to open.
 */
@Component
class ListeningAddressLogger {

	private static final Logger log = LoggerFactory.getLogger(ListeningAddressLogger.class);

	@EventListener
	void onReady(ApplicationReadyEvent event) {
		if (!(event.getApplicationContext() instanceof WebServerApplicationContext context)) {
			return;
		}
		int port = context.getWebServer().getPort();
		Environment environment = context.getEnvironment();
		String management = environment.getProperty("local.management.port",
				environment.getProperty("management.server.port", String.valueOf(port)));
		log.info("Ready: API http://localhost:{}/, probes http://localhost:{}/livez and /readyz, "
				+ "metrics http://localhost:{}/actuator/prometheus", port, port, management);
	}

}
