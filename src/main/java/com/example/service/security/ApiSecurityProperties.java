package com.example.service.security;

import java.time.Duration;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * API security settings ({@code app.security.*}).
 *
 * @param apiKeys accepted keys as {@code client-id:sha256-hex-of-the-key} entries,
 * separated by commas or whitespace ({@code APP_SECURITY_API_KEYS}, or the file
 * {@code /etc/app/secrets/app.security.api-keys}). A client may have several keys, which
 * is how keys are rotated. Required: the service refuses to start without one
 * @param cors cross-origin access for browsers; closed unless origins are listed
 * @param maxRequestBodySize the largest request body accepted; larger ones get 413
 */
@Validated
@ConfigurationProperties(prefix = "app.security", ignoreUnknownFields = false)
record ApiSecurityProperties(@DefaultValue List<String> apiKeys, @DefaultValue @Valid @NotNull Cors cors,
		@DefaultValue("64KB") @NotNull DataSize maxRequestBodySize) {

	/**
	 * Cross-origin resource sharing for {@code /api/**}.
	 *
	 * @param allowedOrigins exact origins allowed to call the API from a browser, e.g.
	 * {@code https://app.example.com}; empty (the default) answers no CORS request
	 * @param maxAge how long a browser may cache a preflight answer
	 */
	record Cors(@DefaultValue List<String> allowedOrigins, @DefaultValue("30m") @NotNull Duration maxAge) {

	}

}
