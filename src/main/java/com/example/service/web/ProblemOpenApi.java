package com.example.service.web;

import java.util.List;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.servers.Server;
import org.springdoc.core.customizers.OpenApiCustomizer;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;

/**
 * The error model in the OpenAPI document: the problem schema, the responses every
 * operation can give (400, 500, 503), and problem content for every error response, so a
 * feature declares its errors with a status and a description only.
 */
@Configuration(proxyBeanMethods = false)
class ProblemOpenApi {

	@Bean
	OpenApiCustomizer problemResponses(ObjectProvider<BuildProperties> build) {
		return (openApi) -> {
			BuildProperties properties = build.getIfAvailable();
			openApi.info(new Info().title("service-template API")
				.version((properties != null) ? properties.getVersion() : "unknown")
				.description("Every error is an RFC 9457 problem (application/problem+json)."));
			// Relative: the document is right wherever a proxy serves it.
			openApi.servers(List.of(new Server().url("/")));
			if (openApi.getComponents() == null) {
				openApi.setComponents(new Components());
			}
			openApi.getComponents().addSchemas(OpenApiProblems.SCHEMA, OpenApiProblems.schema());
			OpenApiProblems.forEachOperation(openApi, ProblemOpenApi::addCommonResponses);
		};
	}

	private static void addCommonResponses(Operation operation) {
		ApiResponses responses = operation.getResponses();
		boolean hasInput = operation.getRequestBody() != null
				|| (operation.getParameters() != null && !operation.getParameters().isEmpty());
		if (hasInput) {
			responses.putIfAbsent("400", OpenApiProblems
				.response("Invalid input: the problem names each field, " + "header or query parameter in 'errors'"));
		}
		responses.putIfAbsent("500", OpenApiProblems.response("Unexpected error; details are in the log only"));
		responses.putIfAbsent("503",
				OpenApiProblems.response("A dependency (database, downstream service) is unavailable"));
		if (responses.get("503").getHeaders() == null) {
			responses.get("503")
				.addHeaderObject(HttpHeaders.RETRY_AFTER,
						OpenApiProblems.integerHeader("Seconds to wait before retrying"));
		}
		// springdoc gives every annotated response the method's return type: errors are
		// problems, 304 is empty.
		responses.forEach((code, response) -> {
			if (isError(code)) {
				response.setContent(OpenApiProblems.content());
			}
			else if (code.equals("304")) {
				response.setContent(null);
			}
		});
	}

	private static boolean isError(String code) {
		return code.startsWith("4") || code.startsWith("5");
	}

}
