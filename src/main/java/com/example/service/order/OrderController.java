package com.example.service.order;

import java.net.URI;
import java.security.Principal;
import java.util.UUID;

import com.example.service.idempotency.IdempotencyKey;
import com.example.service.idempotency.IdempotentRequests;
import com.example.service.idempotency.RecordedResponse;
import com.example.service.order.inventory.InventoryClient;
import com.example.service.order.inventory.Reservation;
import com.example.service.web.EntityTags;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.WebRequest;

@RestController
@RequestMapping(OrderController.PATH)
@Tag(name = "Orders", description = "Example feature")
class OrderController {

	static final String PATH = "/api/v1/orders";

	static final int MAX_PAGE_SIZE = 100;

	private final OrderService orders;

	private final IdempotentRequests idempotentRequests;

	private final InventoryClient inventory;

	private final JsonMapper json;

	OrderController(OrderService orders, IdempotentRequests idempotentRequests, InventoryClient inventory,
			JsonMapper json) {
		this.orders = orders;
		this.idempotentRequests = idempotentRequests;
		this.inventory = inventory;
		this.json = json;
	}

	/**
	 * Reserves stock, then inserts the order and records the response in one transaction;
	 * a replayed request does neither. The order's id is the reservation's id, derived
	 * from the Idempotency-Key when there is one, so a client's retry reserves nothing
	 * twice. If the insert fails after the reservation, the reservation stays until the
	 * client retries with the same key or the inventory releases it (docs/resilience.md).
	 */
	@Operation(summary = "Place an order")
	@ApiResponse(responseCode = "201", description = "Placed; Location names the order, ETag is its version",
			useReturnTypeSchema = true)
	@ApiResponse(responseCode = "409", description = "Not enough stock, or a concurrent request changed the same data")
	@ApiResponse(responseCode = "422",
			description = "The Idempotency-Key was used before for a different request, or its response expired")
	@ApiResponse(responseCode = "502", description = "The inventory service rejected the reservation")
	@ApiResponse(responseCode = "503",
			description = "The inventory service or the database is unavailable; retry after Retry-After")
	@PostMapping
	ResponseEntity<OrderResponse> place(@Valid @RequestBody OrderRequest request,
			@Parameter(description = "Makes retries safe: a repeated request with the same key gets the first "
					+ "response and creates nothing new") @RequestHeader(name = IdempotencyKey.HEADER,
							required = false) @Pattern(regexp = IdempotencyKey.PATTERN,
									message = "must be 1 to 255 printable ASCII characters") @Nullable String idempotencyKey,
			Principal principal) {
		// Every /api request is authenticated (security package): the key is scoped to
		// its client.
		IdempotencyKey key = (idempotencyKey != null) ? new IdempotencyKey(principal.getName(), idempotencyKey) : null;
		String fingerprint = IdempotentRequests.fingerprint("POST", PATH, json.writeValueAsString(request));
		UUID id = (key != null) ? key.stableId(fingerprint) : UUID.randomUUID();
		Reservation reservation = new Reservation(id, required(request.sku()), required(request.quantity()));
		RecordedResponse response = placeOnce(key, fingerprint, reservation);
		OrderResponse body = json.readValue(required(response.body()), OrderResponse.class);
		return ResponseEntity.status(response.status())
			.location(URI.create(required(response.location())))
			.eTag(EntityTags.of(body.version()))
			.body(body);
	}

	private RecordedResponse placeOnce(@Nullable IdempotencyKey key, String fingerprint, Reservation reservation) {
		try {
			return idempotentRequests.execute(key, fingerprint, () -> inventory.reserve(reservation), () -> {
				Order order = orders.place(reservation.id(), reservation.sku(), reservation.quantity());
				return new RecordedResponse(HttpStatus.CREATED.value(), PATH + "/" + order.id(),
						json.writeValueAsString(OrderResponse.of(order)));
			});
		}
		catch (DuplicateKeyException ex) {
			// Only a derived id collides, and only with an order whose recorded response
			// expired.
			throw new OrderAlreadyPlacedException();
		}
	}

	@Operation(summary = "Read an order; its ETag is the version to send in If-Match")
	@ApiResponse(responseCode = "200", description = "The order", useReturnTypeSchema = true)
	@ApiResponse(responseCode = "304", description = "Not modified since the If-None-Match version")
	@ApiResponse(responseCode = "404", description = "No order with this id")
	@GetMapping("/{id}")
	ResponseEntity<OrderResponse> find(@PathVariable UUID id, WebRequest request) {
		Order order = orders.find(id);
		String etag = EntityTags.of(order.currentVersion());
		if (request.checkNotModified(etag)) {
			return ResponseEntity.status(HttpStatus.NOT_MODIFIED).eTag(etag).build();
		}
		return ResponseEntity.ok().eTag(etag).body(OrderResponse.of(order));
	}

	@Operation(summary = "List orders, newest first")
	@ApiResponse(responseCode = "200", description = "A page of at most " + MAX_PAGE_SIZE + " orders",
			useReturnTypeSchema = true)
	@GetMapping
	OrderPage list(@RequestParam(name = "page", defaultValue = "0") @Min(0) int page,
			@RequestParam(name = "size", defaultValue = "20") @Min(1) @Max(MAX_PAGE_SIZE) int size) {
		return OrderPage.of(orders.list(page, size));
	}

	@Operation(summary = "Cancel an order")
	@ApiResponse(responseCode = "200", description = "Cancelled; ETag is the new version", useReturnTypeSchema = true)
	@ApiResponse(responseCode = "404", description = "No order with this id")
	@ApiResponse(responseCode = "409", description = "The order is already cancelled")
	@ApiResponse(responseCode = "412", description = "If-Match is not the current version; read it again")
	@ApiResponse(responseCode = "428", description = "If-Match is missing")
	@PostMapping("/{id}/cancel")
	ResponseEntity<OrderResponse> cancel(@PathVariable UUID id,
			@Parameter(description = "The ETag of the version you read (required)") @RequestHeader(
					name = HttpHeaders.IF_MATCH, required = false) @Nullable String ifMatch) {
		Order order = orders.cancel(id, ifMatch);
		return ResponseEntity.ok().eTag(EntityTags.of(order.currentVersion())).body(OrderResponse.of(order));
	}

	private static <T> T required(@Nullable T value) {
		if (value == null) {
			throw new IllegalStateException("validated value is missing");
		}
		return value;
	}

}
