package com.example.service.security;

/**
 * The configured API keys are missing or malformed. The message never contains a
 * configured value.
 */
class InvalidApiKeysException extends IllegalStateException {

	InvalidApiKeysException(String message) {
		super(message);
	}

}
