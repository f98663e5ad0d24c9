package com.example.service.testsupport;

import java.security.Principal;
import java.util.Map;
import java.util.UUID;

import com.example.service.idempotency.IdempotencyKey;
import com.example.service.idempotency.IdempotentRequests;
import com.example.service.idempotency.RecordedResponse;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.test.context.TestComponent;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * The endpoint the machinery tests (security, rate limits, problems, metrics, tracing,
 * database outages) call instead of the example feature, so that they keep passing,
 * unchanged, once the feature is deleted. It has what those tests need of an API: a
 * validated body, a path variable, a query parameter, an idempotent write and reads that
 * go to the database. Tests {@code @Import} it; component scanning skips it, so it never
 * reaches the running service.
 */
@TestComponent
@RestController
@RequestMapping(TestApi.PATH)
public class TestApi {

	/**
	 * Where the endpoint is mounted: under {@code /api}, behind the whole filter chain.
	 */
	public static final String PATH = "/api/test/notes";

	private final JdbcClient jdbc;

	private final IdempotentRequests idempotentRequests;

	TestApi(JdbcClient jdbc, IdempotentRequests idempotentRequests) {
		this.jdbc = jdbc;
		this.idempotentRequests = idempotentRequests;
	}

	/**
	 * A valid request body of about {@code length} bytes.
	 */
	public static String note(int length) {
		return "{\"text\":\"" + "n".repeat(Math.max(1, length - 11)) + "\"}";
	}

	@PostMapping
	@ApiResponse(responseCode = "201", description = "Written")
	ResponseEntity<String> write(@Valid @RequestBody Note note,
			@RequestHeader(name = IdempotencyKey.HEADER, required = false) @Nullable String idempotencyKey,
			Principal principal) {
		IdempotencyKey key = (idempotencyKey != null) ? new IdempotencyKey(principal.getName(), idempotencyKey) : null;
		UUID id = UUID.randomUUID();
		RecordedResponse response = idempotentRequests.execute(key,
				IdempotentRequests.fingerprint("POST", PATH, note.text()), () -> {
					// A transaction without SQL never reaches the server (the driver
					// sends BEGIN with the first statement): it would miss an outage.
					String created = jdbc.sql("select cast(current_timestamp as varchar)").query(String.class).single();
					return new RecordedResponse(HttpStatus.CREATED.value(), PATH + "/" + id,
							"{\"id\":\"" + id + "\",\"created\":\"" + created + "\"}");
				});
		return ResponseEntity.status(response.status())
			.header("Location", response.location())
			.contentType(MediaType.APPLICATION_JSON)
			.body(response.body());
	}

	@GetMapping
	Map<String, Object> list(@RequestParam(name = "size", defaultValue = "20") @Min(1) @Max(100) int size) {
		return Map.of("size", size, "database", jdbc.sql("select 1").query(Integer.class).single());
	}

	@GetMapping("/{id}")
	@ApiResponse(responseCode = "200", description = "The note")
	@ApiResponse(responseCode = "404", description = "No note with this id")
	Map<String, Object> find(@PathVariable UUID id) {
		// Nothing is stored: every id is unknown.
		throw new ResponseStatusException(HttpStatus.NOT_FOUND, "No note " + id);
	}

	record Note(@NotBlank @Size(max = 1000) String text) {
	}

}
