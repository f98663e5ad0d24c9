package com.example.service.idempotency;

import java.sql.Timestamp;
import java.time.Clock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Deletes recorded responses past their retention so the table stays small. Every
 * instance runs it; the delete is idempotent, so no coordination is needed.
 */
@Component
class IdempotencyKeyExpiry {

	private static final Logger log = LoggerFactory.getLogger(IdempotencyKeyExpiry.class);

	private final JdbcClient jdbc;

	private final Clock clock;

	private final IdempotencyProperties properties;

	IdempotencyKeyExpiry(JdbcClient jdbc, Clock clock, IdempotencyProperties properties) {
		this.jdbc = jdbc;
		this.clock = clock;
		this.properties = properties;
	}

	@Scheduled(fixedDelayString = "${app.idempotency.purge-interval:PT10M}", initialDelayString = "PT1M")
	int purge() {
		Timestamp cutoff = Timestamp.from(clock.instant().minus(properties.retention()));
		int deleted = jdbc.sql("delete from idempotency_keys where created_at < ?").param(cutoff).update();
		if (deleted > 0) {
			log.info("Purged {} expired idempotency keys", deleted);
		}
		return deleted;
	}

}
