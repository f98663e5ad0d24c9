package com.example.service.security;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;

/**
 * Checks a presented API key against the configured hashes. Being the application's only
 * {@link AuthenticationProvider}, it also keeps Boot from creating its default in-memory
 * user with a generated password.
 */
final class ApiKeyAuthenticationProvider implements AuthenticationProvider {

	private final ApiKeys keys;

	ApiKeyAuthenticationProvider(ApiKeys keys) {
		this.keys = keys;
	}

	@Override
	public Authentication authenticate(Authentication authentication) {
		String client = keys.clientFor((String) authentication.getCredentials());
		if (client == null) {
			throw new BadCredentialsException("Invalid API key");
		}
		return ApiKeyAuthentication.authenticated(client);
	}

	@Override
	public boolean supports(Class<?> authentication) {
		return ApiKeyAuthentication.class.isAssignableFrom(authentication);
	}

}
