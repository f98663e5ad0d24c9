package com.example.service.ratelimit;

import com.example.service.web.OpenApiProblems;
import org.springdoc.core.customizers.OpenApiCustomizer;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;

/**
 * The 429 response, with its headers, on every operation of the OpenAPI document.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "app.ratelimit.enabled", matchIfMissing = true)
class RateLimitOpenApi {

	@Bean
	OpenApiCustomizer rateLimitResponses() {
		return (openApi) -> OpenApiProblems.forEachOperation(openApi, (operation) -> operation.getResponses()
			.addApiResponse("429", OpenApiProblems
				.response("Over the client's rate limit (per client and instance); retry after Retry-After seconds")
				.addHeaderObject(HttpHeaders.RETRY_AFTER,
						OpenApiProblems.integerHeader("Seconds until the window resets (at least 1)"))
				.addHeaderObject(RateLimitFilter.RATE_LIMIT_POLICY, OpenApiProblems.stringHeader(
						"Quota q per window w seconds (draft-ietf-httpapi-ratelimit-headers)", "\"default\";q=100;w=1"))
				.addHeaderObject(RateLimitFilter.RATE_LIMIT, OpenApiProblems.stringHeader(
						"Remaining r and seconds to reset t; also sent on allowed responses", "\"default\";r=0;t=1"))));
	}

}
