package com.example.service.lifecycle;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * While the service drains, every response says {@code Connection: close}: Tomcat then
 * closes the connection after the response, and the client (or the proxy's connection
 * pool) opens its next one to an instance that stays. Without it, a request that arrives
 * on an idle keep-alive connection after the listener stopped is reset
 * (spring-boot#40108).
 * <p>
 * First in the chain, so that responses written by later filters (security, rate limits)
 * carry it too; it also runs for error dispatches, and survives a
 * {@link HttpServletResponse#reset() reset} of the response.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class ConnectionCloseFilter extends OncePerRequestFilter {

	private final AtomicBoolean draining = new AtomicBoolean();

	/**
	 * From now on, every response closes its connection. Called by {@link DrainLifecycle}
	 * when shutdown begins; there is no way back.
	 */
	void startDraining() {
		draining.set(true);
	}

	boolean isDraining() {
		return draining.get();
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (!isDraining()) {
			chain.doFilter(request, response);
			return;
		}
		response.setHeader(HttpHeaders.CONNECTION, "close");
		chain.doFilter(request, new ClosingResponse(response));
	}

	@Override
	protected boolean shouldNotFilterAsyncDispatch() {
		return false;
	}

	@Override
	protected boolean shouldNotFilterErrorDispatch() {
		return false;
	}

	/**
	 * Puts the header back when a later handler resets the response to write an error.
	 */
	private static final class ClosingResponse extends HttpServletResponseWrapper {

		ClosingResponse(HttpServletResponse response) {
			super(response);
		}

		@Override
		public void reset() {
			super.reset();
			setHeader(HttpHeaders.CONNECTION, "close");
		}

	}

}
