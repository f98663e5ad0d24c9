package com.example.service.observability;

import java.io.IOException;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Returns the request's trace id in {@value #HEADER}, so a caller can quote it and an
 * operator can find every log line and span of that request. Runs just inside the
 * observation filter that starts the request's span, and before security and rate limits,
 * so rejected requests carry the header too.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 2)
class TraceIdResponseFilter extends OncePerRequestFilter {

	static final String HEADER = "X-Trace-Id";

	private final ObjectProvider<Tracer> tracer;

	TraceIdResponseFilter(ObjectProvider<Tracer> tracer) {
		this.tracer = tracer;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		Tracer current = tracer.getIfAvailable();
		Span span = (current != null) ? current.currentSpan() : null;
		if (span != null) {
			response.setHeader(HEADER, span.context().traceId());
		}
		chain.doFilter(request, response);
	}

}
