package com.example.service.security;

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * An API key on its way to authentication (credentials: the presented key), or an API
 * client authenticated by one (principal: the client id, no credentials kept). The client
 * id is the principal's name, which features use to scope per-client data such as
 * idempotency keys.
 */
final class ApiKeyAuthentication extends AbstractAuthenticationToken {

	private static final List<GrantedAuthority> API_CLIENT = List.of(new SimpleGrantedAuthority("ROLE_API_CLIENT"));

	private final @Nullable String clientId;

	private final @Nullable String presentedKey;

	private ApiKeyAuthentication(@Nullable String clientId, @Nullable String presentedKey) {
		super((clientId != null) ? API_CLIENT : List.of());
		this.clientId = clientId;
		this.presentedKey = presentedKey;
		setAuthenticated(clientId != null);
	}

	static ApiKeyAuthentication unauthenticated(String presentedKey) {
		return new ApiKeyAuthentication(null, presentedKey);
	}

	static ApiKeyAuthentication authenticated(String clientId) {
		return new ApiKeyAuthentication(clientId, null);
	}

	@Override
	public Object getCredentials() {
		return (presentedKey != null) ? presentedKey : "";
	}

	@Override
	public Object getPrincipal() {
		return (clientId != null) ? clientId : "";
	}

	@Override
	public String toString() {
		// Never the key, even in a debug log.
		return "ApiKeyAuthentication[client=" + clientId + ", authenticated=" + isAuthenticated() + "]";
	}

}
