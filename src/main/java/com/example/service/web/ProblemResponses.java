package com.example.service.web;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;

/**
 * Writes an RFC 9457 problem from code that runs outside Spring MVC (servlet filters,
 * security entry points), in the same shape as the problems MVC renders. Always
 * {@code application/problem+json}, whatever the client accepts: an error body the client
 * did not ask for beats a second error.
 */
public final class ProblemResponses {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/** Set on every response by {@code observability.TraceIdResponseFilter}. */
	private static final String TRACE_ID_HEADER = "X-Trace-Id";

	private ProblemResponses() {
	}

	/**
	 * Writes {@code problem} with its status; headers set before the call are kept.
	 */
	public static void write(HttpServletRequest request, HttpServletResponse response, ProblemDetail problem)
			throws IOException {
		Map<String, Object> body = new LinkedHashMap<>();
		if (problem.getType() != null) {
			body.put("type", problem.getType().toString());
		}
		body.put("title", problem.getTitle());
		body.put("status", problem.getStatus());
		body.put("detail", problem.getDetail());
		body.put("instance",
				(problem.getInstance() != null) ? problem.getInstance().toString() : request.getRequestURI());
		if (problem.getProperties() != null) {
			body.putAll(problem.getProperties());
		}
		// The trace id, as MVC problems carry it: the observability filter has set the
		// header.
		String traceId = response.getHeader(TRACE_ID_HEADER);
		if (traceId != null) {
			body.putIfAbsent("traceId", traceId);
		}
		body.values().removeIf((value) -> value == null);
		response.setStatus(problem.getStatus());
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		JSON.writeValue(response.getOutputStream(), body);
	}

}
