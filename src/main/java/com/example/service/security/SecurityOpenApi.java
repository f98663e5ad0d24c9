package com.example.service.security;

import com.example.service.web.OpenApiProblems;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.customizers.OpenApiCustomizer;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;

/**
 * The API key scheme and the refusals of this package in the OpenAPI document: 401 on
 * every operation, 413 on every operation with a body.
 */
@Configuration(proxyBeanMethods = false)
class SecurityOpenApi {

	static final String SCHEME = "ApiKey";

	@Bean
	OpenApiCustomizer apiKeySecurity() {
		return (openApi) -> {
			if (openApi.getComponents() == null) {
				openApi.setComponents(new Components());
			}
			openApi.getComponents()
				.addSecuritySchemes(SCHEME,
						new SecurityScheme().type(SecurityScheme.Type.APIKEY)
							.in(SecurityScheme.In.HEADER)
							.name(ApiKeyAuthenticationFilter.HEADER)
							.description("A key issued to your client; the service stores only its SHA-256."));
			openApi.addSecurityItem(new SecurityRequirement().addList(SCHEME));
			OpenApiProblems.forEachOperation(openApi, (operation) -> {
				operation.getResponses()
					.addApiResponse("401",
							OpenApiProblems.response("X-API-Key is missing or not valid")
								.addHeaderObject(HttpHeaders.WWW_AUTHENTICATE,
										OpenApiProblems.stringHeader("The challenge", ProblemEntryPoint.CHALLENGE)));
				if (operation.getRequestBody() != null) {
					operation.getResponses()
						.addApiResponse("413", OpenApiProblems.response("The request body is over the size limit"));
				}
			});
		};
	}

}
