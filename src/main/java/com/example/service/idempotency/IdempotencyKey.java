package com.example.service.idempotency;

/**
 * A client's {@code Idempotency-Key}, scoped to that client so two clients can never
 * collide.
 *
 * @param clientId who sent the request
 * @param key the header value (1 to 255 printable ASCII characters, validated by the
 * caller)
 */
public record IdempotencyKey(String clientId, String key) {

	/**
	 * The request header that carries the key
	 * (draft-ietf-httpapi-idempotency-key-header).
	 */
	public static final String HEADER = "Idempotency-Key";

	/** Validation pattern for the header value. */
	public static final String PATTERN = "[\\x21-\\x7E]{1,255}";

}
