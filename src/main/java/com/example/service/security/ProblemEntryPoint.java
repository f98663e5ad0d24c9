package com.example.service.security;

import java.io.IOException;

import com.example.service.web.ProblemResponses;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Answers refused requests with problems: 401 with a challenge on the API, and 404 for
 * everything else that is not explicitly open (unexposed actuator endpoints, stray
 * paths), so nothing outside the API even admits to existing.
 */
final class ProblemEntryPoint implements AuthenticationEntryPoint, AccessDeniedHandler {

	static final String CHALLENGE = "ApiKey realm=\"api\", header=\"" + ApiKeyAuthenticationFilter.HEADER + "\"";

	private final RequestMatcher api;

	ProblemEntryPoint(RequestMatcher api) {
		this.api = api;
	}

	@Override
	public void commence(HttpServletRequest request, HttpServletResponse response,
			AuthenticationException authException) throws IOException {
		if (!api.matches(request)) {
			notFound(request, response);
			return;
		}
		boolean invalid = request.getAttribute(ApiKeyAuthenticationFilter.INVALID_KEY) != null;
		response.setHeader(HttpHeaders.WWW_AUTHENTICATE, CHALLENGE);
		ProblemResponses.write(request, response,
				ProblemDetail.forStatusAndDetail(HttpStatus.UNAUTHORIZED,
						invalid ? "The X-API-Key header does not hold a valid API key."
								: "This API needs an API key in the X-API-Key header."));
	}

	@Override
	public void handle(HttpServletRequest request, HttpServletResponse response,
			AccessDeniedException accessDeniedException) throws IOException {
		if (!api.matches(request)) {
			notFound(request, response);
			return;
		}
		ProblemResponses.write(request, response, ProblemDetail.forStatusAndDetail(HttpStatus.FORBIDDEN,
				"This API client may not access this resource."));
	}

	private static void notFound(HttpServletRequest request, HttpServletResponse response) throws IOException {
		ProblemResponses.write(request, response,
				ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "No resource at this path."));
	}

}
