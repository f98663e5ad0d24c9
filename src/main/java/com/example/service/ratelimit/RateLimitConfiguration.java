package com.example.service.ratelimit;

import java.util.List;

import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.access.ExceptionTranslationFilter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;

/**
 * Puts the {@link RateLimitFilter} into every security filter chain through Spring
 * Security's {@code Customizer<HttpSecurity>} beans, so this package needs nothing from
 * the {@code security} package and the filter sits where the client is known: after
 * authentication, before authorization.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RateLimitProperties.class)
@ConditionalOnBooleanProperty(name = "app.ratelimit.enabled", matchIfMissing = true)
class RateLimitConfiguration {

	/**
	 * The path the limits apply to; the same matcher semantics as the authorization
	 * rules.
	 */
	static final String LIMITED_PATHS = "/api/**";

	@Bean
	RateLimitFilter rateLimitFilter(RateLimitProperties properties, MeterRegistry meters,
			ObjectProvider<Ticker> ticker) {
		// System time, unless a test supplies a Ticker bean to move time by hand.
		Ticker time = ticker.getIfAvailable(Ticker::systemTicker);
		List<IpRange> proxies = properties.trustedProxies().stream().map(IpRange::parse).toList();
		return new RateLimitFilter(PathPatternRequestMatcher.withDefaults().matcher(LIMITED_PATHS),
				limiters("default", properties.reads(), properties, time, meters),
				limiters("writes", properties.writesPolicy(), properties, time, meters),
				new ClientAddresses(proxies, properties.forwardedHeader()));
	}

	/**
	 * The filter belongs to the security chain only, not to the servlet container's own
	 * filter list as well.
	 */
	@Bean
	FilterRegistrationBean<RateLimitFilter> rateLimitFilterRegistration(RateLimitFilter filter) {
		FilterRegistrationBean<RateLimitFilter> registration = new FilterRegistrationBean<>(filter);
		registration.setEnabled(false);
		return registration;
	}

	@Bean
	Customizer<HttpSecurity> rateLimitInSecurityChain(RateLimitFilter filter) {
		return (http) -> http.addFilterBefore(filter, ExceptionTranslationFilter.class);
	}

	private static ClientLimiters limiters(String name, RateLimitProperties.Policy policy,
			RateLimitProperties properties, Ticker ticker, MeterRegistry meters) {
		return new ClientLimiters(new RateLimitPolicy(name, policy.limit(), policy.period()), properties.maxClients(),
				properties.idleTime(), ticker, meters);
	}

}
