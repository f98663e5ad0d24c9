package com.example.bench.probe;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.WebRequest;

/**
 * The benchmark's read endpoint: the same work as the template's {@code GET
 * /api/v1/orders/{id}} (look an order up by id, an ETag from its version, 304 on a
 * matching {@code If-None-Match}, JSON body of seven fields) minus the database: the
 * order comes from a map. Served by both services, so a difference in throughput is the
 * cost of what surrounds the handler.
 */
@RestController
class ReadEndpoint {

	/** The order every benchmark request reads. */
	static final UUID KNOWN_ID = UUID.fromString("00000000-0000-4000-8000-000000000001");

	private final Map<UUID, Snapshot> orders = new ConcurrentHashMap<>();

	ReadEndpoint() {
		Instant now = Instant.parse("2026-01-01T00:00:00Z").truncatedTo(ChronoUnit.MICROS);
		this.orders.put(KNOWN_ID, new Snapshot(KNOWN_ID, "ABC-1", 2, Status.PLACED, 0, now, now));
	}

	@GetMapping("/api/v1/bench/orders/{id}")
	ResponseEntity<Snapshot> find(@PathVariable UUID id, WebRequest request) {
		Snapshot order = this.orders.get(id);
		if (order == null) {
			return ResponseEntity.notFound().build();
		}
		String etag = "\"" + order.version() + "\"";
		if (request.checkNotModified(etag)) {
			return ResponseEntity.status(HttpStatus.NOT_MODIFIED).eTag(etag).build();
		}
		return ResponseEntity.ok().eTag(etag).body(order);
	}

	enum Status {

		PLACED, CANCELLED

	}

	record Snapshot(UUID id, String sku, int quantity, Status status, long version, Instant createdAt,
			Instant updatedAt) {
	}

}
