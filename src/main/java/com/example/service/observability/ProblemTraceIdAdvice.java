package com.example.service.observability;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.MethodParameter;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyAdvice;

/**
 * Adds {@code traceId} to every problem written by Spring MVC, whichever handler built
 * it, so the id a user reports leads to the logs and the trace.
 */
@ControllerAdvice
class ProblemTraceIdAdvice implements ResponseBodyAdvice<Object> {

	static final String PROPERTY = "traceId";

	private final ObjectProvider<Tracer> tracer;

	ProblemTraceIdAdvice(ObjectProvider<Tracer> tracer) {
		this.tracer = tracer;
	}

	@Override
	public boolean supports(MethodParameter returnType, Class<? extends HttpMessageConverter<?>> converterType) {
		return true;
	}

	@Override
	public @Nullable Object beforeBodyWrite(@Nullable Object body, MethodParameter returnType,
			MediaType selectedContentType, Class<? extends HttpMessageConverter<?>> selectedConverterType,
			ServerHttpRequest request, ServerHttpResponse response) {
		if (body instanceof ProblemDetail problem) {
			Tracer current = tracer.getIfAvailable();
			Span span = (current != null) ? current.currentSpan() : null;
			if (span != null) {
				problem.setProperty(PROPERTY, span.context().traceId());
			}
		}
		return body;
	}

}
