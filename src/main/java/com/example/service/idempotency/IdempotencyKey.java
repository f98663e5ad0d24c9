package com.example.service.idempotency;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.UUID;

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

	/**
	 * A UUID that every retry of the same request derives again: a resource created under
	 * it, here or in another service, is found instead of created twice. Different
	 * clients, keys or request contents give different ids. RFC 9562 version 8 (custom),
	 * from SHA-256.
	 * @param fingerprint the request's fingerprint
	 * @return the same UUID for the same client, key and fingerprint
	 */
	public UUID stableId(String fingerprint) {
		byte[] hash = HexFormat.of().parseHex(IdempotentRequests.fingerprint("id", clientId, key, fingerprint));
		ByteBuffer bytes = ByteBuffer.wrap(hash, 0, 16);
		long high = (bytes.getLong() & ~0xF000L) | 0x8000L;
		long low = (bytes.getLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
		return new UUID(high, low);
	}

}
