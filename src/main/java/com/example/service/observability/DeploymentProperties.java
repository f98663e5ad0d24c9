package com.example.service.observability;

import jakarta.validation.constraints.NotNull;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Where this instance runs, as dashboards need to tell instances apart. Bound from the
 * {@code app} prefix, which other features share, so unknown keys are ignored here.
 *
 * @param slot blue-green slot, {@code APP_SLOT}: {@code blue}, {@code green} or
 * {@code none} (the default, also for an empty value such as a missing pod label); any
 * other value fails the startup. Tagged on every metric as {@code slot}.
 */
@Validated
@ConfigurationProperties("app")
record DeploymentProperties(@NotNull Slot slot) {

	DeploymentProperties(@Nullable Slot slot) {
		this.slot = (slot != null) ? slot : Slot.NONE;
	}

}
