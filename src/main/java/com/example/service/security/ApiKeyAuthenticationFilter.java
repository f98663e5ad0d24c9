package com.example.service.security;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

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

	private final ApiKeys keys;

	ApiKeyAuthenticationFilter(RequestMatcher protectedPaths, ApiKeys keys) {
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
			String client = keys.clientFor(key);
			if (client != null) {
				SecurityContext context = contexts.createEmptyContext();
				context.setAuthentication(new ApiKeyAuthentication(client));
				contexts.setContext(context);
			}
			else {
				request.setAttribute(INVALID_KEY, Boolean.TRUE);
			}
		}
		chain.doFilter(request, response);
	}

}
