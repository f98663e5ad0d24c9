package com.example.service.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.cors.DefaultCorsProcessor;

/**
 * Refuses a cross-origin request from an origin that is not allowed with a 403 problem
 * instead of Spring's plain-text "Invalid CORS request".
 */
final class ProblemCorsProcessor extends DefaultCorsProcessor {

	private static final byte[] PROBLEM = ("{\"title\":\"Forbidden\",\"status\":403,"
			+ "\"detail\":\"This origin may not call the API from a browser.\"}")
		.getBytes(StandardCharsets.UTF_8);

	@Override
	protected void rejectRequest(ServerHttpResponse response) throws IOException {
		response.setStatusCode(HttpStatus.FORBIDDEN);
		response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
		response.getBody().write(PROBLEM);
		response.flush();
	}

}
