package com.example.service.idempotency;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Idempotency settings.
 *
 * @param retention how long a recorded response is kept and replayed; clients must not
 * retry with the same key after this
 * @param purgeInterval how often expired responses are deleted
 */
@Validated
@ConfigurationProperties(prefix = "app.idempotency", ignoreUnknownFields = false)
record IdempotencyProperties(@DefaultValue("24h") @NotNull Duration retention,
		@DefaultValue("10m") @NotNull Duration purgeInterval) {

}
