package com.example.service.observability;

import java.util.Locale;

/**
 * Which blue-green slot this instance runs in; {@link #NONE} outside blue-green
 * deployments.
 */
enum Slot {

	BLUE, GREEN, NONE;

	/** The value of the {@code slot} metric tag. */
	String tagValue() {
		return name().toLowerCase(Locale.ROOT);
	}

}
