package com.example.service.security;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates {@code X-API-Key}. A missing or wrong key does not answer here: the
 * request goes on unauthenticated, so the rate limiter counts it against the caller's
 * address (key guessing is rate limited too), and authorization then refuses it with a
 * 401 problem.
 */
final class ApiKeyAuthenticationFilter extends OncePerRequestFilter {

	static final String HEADER = "X-API-Key";

	/** Request attribute set when a key was presented but is not valid. */
	static final String INVALID_KEY = ApiKeyAuthenticationFilter.class.getName() + ".INVALID_KEY";

	private final SecurityContextHolderStrategy contexts = SecurityContextHolder.getContextHolderStrategy();

	private final RequestMatcher protectedPaths;

	private final AuthenticationProvider keys;

	ApiKeyAuthenticationFilter(RequestMatcher protectedPaths, AuthenticationProvider keys) {
		this.protectedPaths = protectedPaths;
		this.keys = keys;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !protectedPaths.matches(request);
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String key = request.getHeader(HEADER);
		if (key != null) {
			try {
				SecurityContext context = contexts.createEmptyContext();
				context.setAuthentication(keys.authenticate(ApiKeyAuthentication.unauthenticated(key)));
				contexts.setContext(context);
			}
			catch (AuthenticationException ex) {
				request.setAttribute(INVALID_KEY, Boolean.TRUE);
			}
		}
		chain.doFilter(request, response);
	}

}
