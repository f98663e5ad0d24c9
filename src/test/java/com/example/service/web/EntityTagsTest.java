package com.example.service.web;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;

class EntityTagsTest {

	@ParameterizedTest
	@ValueSource(strings = { "\"7\"", "\"3\", \"7\"", "*" })
	void acceptsAMatchingTag(String ifMatch) {
		assertThatNoException().isThrownBy(() -> EntityTags.requireMatch(ifMatch, 7));
	}

	@ParameterizedTest
	@ValueSource(strings = { "\"6\"", "W/\"7\"", "7", "\"07\"" })
	void rejectsStaleWeakOrMalformedTags(String ifMatch) {
		assertThatExceptionOfType(PreconditionFailedException.class)
			.isThrownBy(() -> EntityTags.requireMatch(ifMatch, 7));
	}

	@Test
	void requiresTheHeader() {
		assertThatExceptionOfType(PreconditionRequiredException.class)
			.isThrownBy(() -> EntityTags.requireMatch(null, 7));
		assertThatExceptionOfType(PreconditionRequiredException.class)
			.isThrownBy(() -> EntityTags.requireMatch(" ", 7));
	}

}
