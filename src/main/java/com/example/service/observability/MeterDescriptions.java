package com.example.service.observability;

import java.util.Map;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;

import org.springframework.stereotype.Component;

/**
 * HELP text for the meters that Spring and Tomcat register without a description, so the
 * Prometheus scrape passes {@code promtool check metrics} and a dashboard author can see
 * what a series means. Only fills a missing description, never replaces one.
 */
@Component
class MeterDescriptions implements MeterFilter {

	private static final Map<String, String> DESCRIPTIONS = Map.ofEntries(
			Map.entry("http.server.requests",
					"HTTP requests handled, by method, uri template, status, outcome and exception"),
			Map.entry("http.server.requests.active", "HTTP requests in progress"),
			Map.entry("http.client.requests",
					"Outbound HTTP requests, by method, uri template, status, outcome, exception and client name"),
			Map.entry("http.client.requests.active", "Outbound HTTP requests in progress"),
			Map.entry("tomcat.threads.busy", "Tomcat request threads currently busy"),
			Map.entry("tomcat.threads.current", "Tomcat request threads currently in the pool"),
			Map.entry("tomcat.threads.config.max", "Maximum Tomcat request threads (server.tomcat.threads.max)"),
			Map.entry("tomcat.connections.current", "Connections currently open to Tomcat"),
			Map.entry("tomcat.connections.keepalive.current", "Idle keep-alive connections currently open to Tomcat"),
			Map.entry("tomcat.connections.config.max", "Maximum connections Tomcat accepts"),
			Map.entry("tomcat.global.request", "Request processing time measured by Tomcat's connector"),
			Map.entry("tomcat.global.request.max", "Longest request processing time measured by Tomcat's connector"),
			Map.entry("tomcat.global.error", "Requests Tomcat's connector counted as errors"),
			Map.entry("tomcat.global.received", "Bytes received by Tomcat's connector"),
			Map.entry("tomcat.global.sent", "Bytes sent by Tomcat's connector"),
			Map.entry("tomcat.servlet.request", "Request processing time of the dispatcher servlet"),
			Map.entry("tomcat.servlet.request.max", "Longest request processing time of the dispatcher servlet"),
			Map.entry("tomcat.servlet.error", "Requests the dispatcher servlet counted as errors"));

	@Override
	public Meter.Id map(Meter.Id id) {
		String description = id.getDescription();
		if (description != null && !description.isBlank()) {
			return id;
		}
		String known = DESCRIPTIONS.get(id.getName());
		return (known != null)
				? new Meter.Id(id.getName(), Tags.of(id.getTags()), id.getBaseUnit(), known, id.getType()) : id;
	}

}
