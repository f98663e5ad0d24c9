package com.example.service.security;

import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class ApiKeysTest {

	/** Some well-formed hash. */
	static final String HASH_A = "a7c2b7e8fbb6c8c8e7f2d1d7e1a3c5cae60c7f4c90d9b4b2f8c3d4e5f6a7b8c9";

	private static String hash(String key) {
		return HexFormat.of().formatHex(ApiKeys.sha256(key));
	}

	@Test
	void hashesLikeSha256sum() {
		// printf %s dev-key-change-me | sha256sum
		assertThat(hash("dev-key-change-me"))
			.isEqualTo("57c8139db7290a9064aa57837c951138a32df40cca3aca526319f55651368823");
	}

	@Test
	void findsTheClientOfAKey() {
		ApiKeys keys = ApiKeys.parse(List.of("alpha:" + hash("key-a") + ",beta:" + hash("key-b").toUpperCase()));
		assertThat(keys.clientFor("key-a")).isEqualTo("alpha");
		assertThat(keys.clientFor("key-b")).isEqualTo("beta");
		assertThat(keys.clientFor("key-c")).isNull();
		assertThat(keys.clientFor("")).isNull();
		assertThat(keys.clientFor(hash("key-a"))).as("the hash itself is not a key").isNull();
	}

	@Test
	void acceptsSeveralKeysPerClientForRotation() {
		ApiKeys keys = ApiKeys.parse(List.of("alpha:" + hash("old"), "alpha:" + hash("new")));
		assertThat(keys.clientFor("old")).isEqualTo("alpha");
		assertThat(keys.clientFor("new")).isEqualTo("alpha");
	}

	@Test
	void acceptsWhitespaceAndNewlinesBetweenEntries() {
		// A mounted secret file is often written one entry per line.
		ApiKeys keys = ApiKeys.parse(List.of("alpha:" + hash("a") + "\n beta:" + hash("b") + "\n"));
		assertThat(keys.size()).isEqualTo(2);
	}

	@Test
	void refusesToRunWithoutKeys() {
		assertThatExceptionOfType(InvalidApiKeysException.class).isThrownBy(() -> ApiKeys.parse(List.of()))
			.withMessageContaining("No API key is configured");
		assertThatExceptionOfType(InvalidApiKeysException.class).isThrownBy(() -> ApiKeys.parse(List.of(" , ")));
	}

	@ParameterizedTest
	@ValueSource(strings = { "alpha", "alpha:", ":" + HASH_A, "alpha:REPLACE_ME_WITH_THE_SHA256_HEX_OF_THE_KEY",
			"alpha:" + HASH_A + "0", "al pha:" + HASH_A, "-alpha:" + HASH_A, "alpha:dev-key-change-me" })
	void refusesMalformedEntriesWithoutEchoingThem(String entry) {
		assertThatExceptionOfType(InvalidApiKeysException.class)
			.isThrownBy(() -> ApiKeys.parse(List.of("ok:" + hash("fine"), entry)))
			.withMessageStartingWith("Entry 2 of app.security.api-keys")
			.withMessageNotContaining(entry);
	}

	@Test
	void refusesTheSameKeyTwice() {
		assertThatExceptionOfType(InvalidApiKeysException.class)
			.isThrownBy(() -> ApiKeys.parse(List.of("a:" + hash("k"), "b:" + hash("k").toUpperCase())))
			.withMessageContaining("repeats");
	}

}
