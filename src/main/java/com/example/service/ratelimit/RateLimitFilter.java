package com.example.service.ratelimit;

import java.io.IOException;
import java.security.Principal;
import java.util.Set;

import com.example.service.web.ProblemResponses;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Limits {@code /api/**} per client. It runs inside the security filter chain after
 * authentication and before authorization, so a client with a valid API key is limited by
 * its client id, and anyone else (including someone guessing keys) by address.
 */
final class RateLimitFilter extends OncePerRequestFilter {

	static final String RATE_LIMIT = "RateLimit";

	static final String RATE_LIMIT_POLICY = "RateLimit-Policy";

	private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH", "DELETE");

	private final RequestMatcher limited;

	private final ClientLimiters reads;

	private final ClientLimiters writes;

	private final ClientAddresses addresses;

	RateLimitFilter(RequestMatcher limited, ClientLimiters reads, ClientLimiters writes, ClientAddresses addresses) {
		this.limited = limited;
		this.reads = reads;
		this.writes = writes;
		this.addresses = addresses;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !limited.matches(request);
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		ClientLimiters limiters = WRITES.contains(request.getMethod()) ? writes : reads;
		RateLimitPolicy policy = limiters.policy();
		RateLimitDecision decision = limiters.acquire(client(request));
		response.setHeader(RATE_LIMIT_POLICY, policy.policyHeader());
		response.setHeader(RATE_LIMIT, policy.rateLimitHeader(decision.remaining(), decision.resetSeconds()));
		if (decision.allowed()) {
			chain.doFilter(request, response);
			return;
		}
		response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(decision.resetSeconds()));
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.TOO_MANY_REQUESTS,
				"Rate limit '" + policy.name() + "' of " + policy.limit() + " requests per "
						+ policy.period().toSeconds() + " s exceeded. Retry after " + decision.resetSeconds() + " s.");
		ProblemResponses.write(request, response, problem);
	}

	/**
	 * The authenticated API client, else the client address. The prefixes keep a client
	 * id that looks like an address out of that address's bucket.
	 */
	private String client(HttpServletRequest request) {
		Principal principal = request.getUserPrincipal();
		return (principal != null) ? "client:" + principal.getName() : "address:" + addresses.bucketOf(request);
	}

}
