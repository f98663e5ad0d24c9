package com.example.service.idempotency;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Runs an action at most once per {@link IdempotencyKey}. The action and the record of
 * its response commit in one transaction, so a crash leaves neither or both. A concurrent
 * retry blocks on the key's primary key until the first attempt commits, then loses the
 * insert, rolls its own work back and replays the winner's response.
 * <p>
 * Work that must not hold a database connection, such as a call to another service, goes
 * in the {@code prepare} step: it runs before the transaction starts, and only when there
 * is no response to replay.
 */
@Component
public class IdempotentRequests {

	private final JdbcClient jdbc;

	private final TransactionOperations transactions;

	private final Clock clock;

	IdempotentRequests(JdbcClient jdbc, TransactionOperations transactions, Clock clock) {
		this.jdbc = jdbc;
		this.transactions = transactions;
		this.clock = clock;
	}

	/**
	 * Runs {@code action} in a transaction, or replays the response recorded for the same
	 * key.
	 * @param key the client's key, or {@code null} to run the action without idempotency
	 * @param fingerprint identifies the request's content (see
	 * {@link #fingerprint(String...)})
	 * @param action the work; it runs inside the transaction
	 * @return the response of the first successful attempt
	 * @throws IdempotencyKeyReusedException if the key was used for a request with
	 * another fingerprint
	 */
	public RecordedResponse execute(@Nullable IdempotencyKey key, String fingerprint,
			Supplier<RecordedResponse> action) {
		return execute(key, fingerprint, () -> {
		}, action);
	}

	/**
	 * Runs {@code prepare} outside any transaction, then {@code action} in one; or
	 * replays the response recorded for the same key without running either.
	 * @param key the client's key, or {@code null} to run both without idempotency
	 * @param fingerprint identifies the request's content (see
	 * {@link #fingerprint(String...)})
	 * @param prepare work that must not hold a database connection, such as a call to
	 * another service; if it throws, nothing is recorded. It must be idempotent itself: a
	 * concurrent retry runs it too, and it is not undone when the transaction fails
	 * @param action the work; it runs inside the transaction
	 * @return the response of the first successful attempt
	 * @throws IdempotencyKeyReusedException if the key was used for a request with
	 * another fingerprint
	 */
	public RecordedResponse execute(@Nullable IdempotencyKey key, String fingerprint, Runnable prepare,
			Supplier<RecordedResponse> action) {
		if (key == null) {
			prepare.run();
			return required(transactions.execute((status) -> action.get()));
		}
		Optional<RecordedResponse> previous = find(key, fingerprint);
		if (previous.isPresent()) {
			return previous.get();
		}
		prepare.run();
		try {
			return required(transactions.execute((status) -> {
				RecordedResponse response = action.get();
				record(key, fingerprint, response);
				return response;
			}));
		}
		catch (DuplicateKeyException ex) {
			return find(key, fingerprint).orElseThrow(() -> ex);
		}
	}

	/**
	 * A stable digest of the parts that make two requests "the same".
	 */
	public static String fingerprint(String... parts) {
		try {
			MessageDigest digest = MessageDigest.getInstance("SHA-256");
			for (String part : parts) {
				digest.update(part.getBytes(StandardCharsets.UTF_8));
				digest.update((byte) 0);
			}
			return HexFormat.of().formatHex(digest.digest());
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is required by every Java platform", ex);
		}
	}

	private Optional<RecordedResponse> find(IdempotencyKey key, String fingerprint) {
		return jdbc.sql("""
				select request_hash, response_status, response_location, response_body
				from idempotency_keys where client_id = ? and idempotency_key = ?""")
			.params(key.clientId(), key.key())
			.query((rs, row) -> {
				if (!rs.getString("request_hash").equals(fingerprint)) {
					throw new IdempotencyKeyReusedException();
				}
				return new RecordedResponse(rs.getInt("response_status"), rs.getString("response_location"),
						rs.getString("response_body"));
			})
			.optional();
	}

	private void record(IdempotencyKey key, String fingerprint, RecordedResponse response) {
		jdbc.sql("""
				insert into idempotency_keys (client_id, idempotency_key, request_hash, response_status,
				    response_location, response_body, created_at) values (?, ?, ?, ?, ?, ?, ?)""")
			.params(key.clientId(), key.key(), fingerprint, response.status(), response.location(), response.body(),
					Timestamp.from(clock.instant()))
			.update();
	}

	private static <T> T required(@Nullable T value) {
		if (value == null) {
			throw new IllegalStateException("The idempotent action returned no response");
		}
		return value;
	}

}
