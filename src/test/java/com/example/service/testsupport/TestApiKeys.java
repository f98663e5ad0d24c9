package com.example.service.testsupport;

/**
 * API keys the tests authenticate with. Their hashes are configured in
 * {@code src/test/resources/config/application.yml} (every test) and
 * {@code application-local.yml} (the development key of the local profile).
 */
public final class TestApiKeys {

	/** The request header that carries the key. */
	public static final String HEADER = "X-API-Key";

	/** Key of {@link #CLIENT}, accepted in every test without the local profile. */
	public static final String KEY = "test-key-not-a-secret";

	/** Client id of {@link #KEY}. */
	public static final String CLIENT = "test-client";

	/** The development key the README shows, accepted only with the local profile. */
	public static final String LOCAL_KEY = "dev-key-change-me";

	/** Client id of {@link #LOCAL_KEY}. */
	public static final String LOCAL_CLIENT = "local-dev";

	private TestApiKeys() {
	}

}
