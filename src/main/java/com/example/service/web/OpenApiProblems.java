package com.example.service.web;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;

/**
 * Building blocks for describing problem responses in the OpenAPI document, shared by the
 * packages that add their own responses (security, rate limiting).
 */
public final class OpenApiProblems {

	/** Name of the RFC 9457 problem schema in {@code components/schemas}. */
	public static final String SCHEMA = "Problem";

	private OpenApiProblems() {
	}

	/**
	 * A response whose body is a problem.
	 */
	public static ApiResponse response(String description) {
		return new ApiResponse().description(description).content(content());
	}

	/**
	 * A response header holding an integer, such as {@code Retry-After}.
	 */
	public static Header integerHeader(String description) {
		return new Header().description(description).schema(new IntegerSchema().minimum(BigDecimal.ONE));
	}

	/**
	 * A response header holding a string.
	 */
	public static Header stringHeader(String description, String example) {
		return new Header().description(description).schema(new StringSchema().example(example));
	}

	/**
	 * Runs {@code action} on every operation of the document.
	 */
	public static void forEachOperation(OpenAPI openApi, Consumer<Operation> action) {
		if (openApi.getPaths() != null) {
			openApi.getPaths().values().forEach((path) -> path.readOperations().forEach(action));
		}
	}

	static Content content() {
		return new Content().addMediaType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON_VALUE,
				new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + SCHEMA)));
	}

	@SuppressWarnings("rawtypes")
	static Schema schema() {
		Schema<?> invalid = new ObjectSchema()
			.addProperty("name",
					new StringSchema().description("the field, header " + "or query parameter as the client sent it"))
			.addProperty("reason", new StringSchema());
		Map<String, Schema> properties = new LinkedHashMap<>();
		properties.put("type", new StringSchema().format("uri").description("absent means about:blank"));
		properties.put("title", new StringSchema());
		properties.put("status", new IntegerSchema());
		properties.put("detail", new StringSchema().description("what went wrong and what the client can do"));
		properties.put("instance", new StringSchema().format("uri-reference"));
		properties.put("errors", new ArraySchema().items(invalid).description("invalid inputs (400 only)"));
		return new ObjectSchema().description("RFC 9457 problem details")
			.properties(properties)
			.required(List.of("title", "status", "detail"));
	}

}
