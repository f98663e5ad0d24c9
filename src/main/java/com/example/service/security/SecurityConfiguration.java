package com.example.service.security;

import java.util.List;

import jakarta.servlet.DispatcherType;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.header.HeaderWriterFilter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;
import org.springframework.web.filter.CorsFilter;

/**
 * The one security filter chain, for both ports: the API needs a key, the probes and the
 * three management endpoints are open (the management port is reachable only from
 * Prometheus, see docs/security-and-rate-limits.md), and everything else is a 404
 * problem.
 * <p>
 * No CSRF protection: it defends cookie-authenticated browser sessions, and this API has
 * neither cookies nor sessions; a browser never attaches {@code X-API-Key} on its own.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ApiSecurityProperties.class)
class SecurityConfiguration {

	static final String API_PATHS = "/api/**";

	/**
	 * Open to anyone (GET and HEAD): the probes on the main port (liveness, readiness,
	 * startup), three endpoints on the management port.
	 */
	static final String[] OPEN_PATHS = { "/livez", "/readyz", "/startupz", "/actuator/health",
			"/actuator/health/liveness", "/actuator/health/readiness", "/actuator/info", "/actuator/prometheus" };

	/** For a JSON API: no content may load, nothing may frame it. */
	static final String CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; "
			+ "form-action 'none'";

	@Bean
	ApiKeys apiKeys(ApiSecurityProperties properties) {
		return ApiKeys.parse(properties.apiKeys());
	}

	@Bean
	ApiKeyAuthenticationProvider apiKeyAuthenticationProvider(ApiKeys keys) {
		return new ApiKeyAuthenticationProvider(keys);
	}

	@Bean
	SecurityFilterChain securityFilterChain(HttpSecurity http, ApiKeyAuthenticationProvider keys,
			ApiSecurityProperties properties) {
		RequestMatcher api = PathPatternRequestMatcher.withDefaults().matcher(API_PATHS);
		ProblemEntryPoint problems = new ProblemEntryPoint(api);
		http.csrf(AbstractHttpConfigurer::disable)
			.httpBasic(AbstractHttpConfigurer::disable)
			.formLogin(AbstractHttpConfigurer::disable)
			.logout(AbstractHttpConfigurer::disable)
			.anonymous(AbstractHttpConfigurer::disable)
			.requestCache(AbstractHttpConfigurer::disable)
			.sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.headers((headers) -> headers.contentSecurityPolicy((csp) -> csp.policyDirectives(CONTENT_SECURITY_POLICY))
				.referrerPolicy((referrer) -> referrer.policy(ReferrerPolicy.NO_REFERRER))
				.frameOptions((frames) -> frames.deny()))
			.exceptionHandling(
					(exceptions) -> exceptions.authenticationEntryPoint(problems).accessDeniedHandler(problems))
			.addFilterAfter(new RequestBodyLimitFilter(properties.maxRequestBodySize().toBytes()),
					HeaderWriterFilter.class)
			.addFilterBefore(new ApiKeyAuthenticationFilter(api, keys), BasicAuthenticationFilter.class)
			.authorizeHttpRequests((requests) -> requests.dispatcherTypeMatchers(DispatcherType.ERROR)
				.permitAll()
				.requestMatchers(api)
				.authenticated()
				.requestMatchers(HttpMethod.GET, OPEN_PATHS)
				.permitAll()
				.requestMatchers(HttpMethod.HEAD, OPEN_PATHS)
				.permitAll()
				.anyRequest()
				.denyAll());
		http.cors(AbstractHttpConfigurer::disable);
		List<String> origins = properties.cors().allowedOrigins();
		if (!origins.isEmpty()) {
			CorsFilter cors = new CorsFilter(cors(origins, properties.cors()));
			cors.setCorsProcessor(new ProblemCorsProcessor());
			http.addFilter(cors);
		}
		return http.build();
	}

	private static UrlBasedCorsConfigurationSource cors(List<String> origins, ApiSecurityProperties.Cors settings) {
		CorsConfiguration cors = new CorsConfiguration();
		cors.setAllowedOrigins(origins);
		cors.setAllowedMethods(List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"));
		cors.setAllowedHeaders(List.of(HttpHeaders.CONTENT_TYPE, ApiKeyAuthenticationFilter.HEADER, "Idempotency-Key",
				HttpHeaders.IF_MATCH, HttpHeaders.IF_NONE_MATCH));
		cors.setExposedHeaders(List.of(HttpHeaders.ETAG, HttpHeaders.LOCATION, HttpHeaders.RETRY_AFTER, "RateLimit",
				"RateLimit-Policy"));
		cors.setAllowCredentials(false);
		cors.setMaxAge(settings.maxAge());
		UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
		source.registerCorsConfiguration(API_PATHS, cors);
		return source;
	}

}
