package com.example.service.security;

import java.util.List;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * An API client authenticated by its key. The client id is the principal's name, which is
 * what features use to scope per-client data such as idempotency keys. The key itself is
 * not kept.
 */
final class ApiKeyAuthentication extends AbstractAuthenticationToken {

	private final String clientId;

	ApiKeyAuthentication(String clientId) {
		super(List.of(new SimpleGrantedAuthority("ROLE_API_CLIENT")));
		this.clientId = clientId;
		setAuthenticated(true);
	}

	@Override
	public Object getCredentials() {
		return "";
	}

	@Override
	public Object getPrincipal() {
		return clientId;
	}

}
