package com.example.service.security;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a missing or malformed API key configuration into a startup report that says what
 * to do, instead of a stack trace.
 */
class ApiKeysFailureAnalyzer extends AbstractFailureAnalyzer<InvalidApiKeysException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidApiKeysException cause) {
		return new FailureAnalysis(
				cause.getMessage() + " The API refuses every request without a key, and only the "
						+ "'local' profile has a development key.",
				"Hash each client's key and configure the hashes, for example\n"
						+ "    APP_SECURITY_API_KEYS=my-client:$(printf %s \"$API_KEY\" | sha256sum | cut -d' ' -f1)\n"
						+ "or put the same 'client-id:sha256-hex' list in the mounted secret file "
						+ "/etc/app/secrets/app.security.api-keys. See docs/security-and-rate-limits.md.",
				cause);
	}

}
