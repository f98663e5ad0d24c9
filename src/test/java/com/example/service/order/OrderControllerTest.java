package com.example.service.order;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

import com.example.service.idempotency.IdempotencyKey;
import com.example.service.idempotency.IdempotencyKeyReusedException;
import com.example.service.idempotency.IdempotentRequests;
import com.example.service.idempotency.RecordedResponse;
import com.example.service.order.inventory.InsufficientStockException;
import com.example.service.order.inventory.InventoryClient;
import com.example.service.order.inventory.InventoryUnavailableException;
import com.example.service.order.inventory.Reservation;
import com.example.service.testsupport.TestApiKeys;
import com.example.service.web.PreconditionFailedException;
import com.example.service.web.PreconditionRequiredException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.mockito.ArgumentCaptor;
import org.mockito.InOrder;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.MockMvcBuilderCustomizer;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.domain.PageImpl;
import org.springframework.data.domain.PageRequest;
import org.springframework.http.MediaType;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.web.context.WebApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.willThrow;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.springframework.security.test.web.servlet.setup.SecurityMockMvcConfigurers.springSecurity;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The controller behind the real security filter chain (the {@code security} package's
 * configuration), authenticated with the test API key unless a test says otherwise.
 */
@WebMvcTest(controllers = OrderController.class, includeFilters = @ComponentScan.Filter(type = FilterType.REGEX,
		pattern = "com\\.example\\.service\\.security\\..*"))
class OrderControllerTest {

	private static final UUID ID = UUID.fromString("0b9c6f3e-4d0e-4c4e-9a57-4f1d2b8e6a10");

	private static final Instant NOW = Instant.parse("2026-11-21T10:15:30Z");

	private static final Order ORDER = new Order(ID, "SKU-1", 2, OrderStatus.PLACED, 0L, NOW, NOW);

	@Autowired
	private MockMvc mvc;

	@Autowired
	private WebApplicationContext context;

	@MockitoBean
	private OrderService orders;

	@MockitoBean
	private IdempotentRequests idempotentRequests;

	@MockitoBean
	private InventoryClient inventory;

	@BeforeEach
	@SuppressWarnings("unchecked")
	void runPrepareThenAction() {
		given(idempotentRequests.execute(any(), anyString(), any(Runnable.class), any())).willAnswer((invocation) -> {
			((Runnable) invocation.getArgument(2)).run();
			return ((Supplier<RecordedResponse>) invocation.getArgument(3)).get();
		});
	}

	@Test
	void reservesStockThenPlacesTheOrderUnderTheReservationsId() throws Exception {
		given(orders.place(any(UUID.class), eq("SKU-1"), eq(2))).willReturn(ORDER);
		postOrder("{\"sku\":\"SKU-1\",\"quantity\":2}").andExpect(status().isCreated())
			.andExpect(header().string("Location", "/api/v1/orders/" + ID))
			.andExpect(header().string("ETag", "\"0\""))
			.andExpect(jsonPath("$.id").value(ID.toString()))
			.andExpect(jsonPath("$.status").value("PLACED"));
		ArgumentCaptor<Reservation> reservation = ArgumentCaptor.forClass(Reservation.class);
		InOrder inOrder = inOrder(inventory, orders);
		inOrder.verify(inventory).reserve(reservation.capture());
		inOrder.verify(orders).place(reservation.getValue().id(), "SKU-1", 2);
		assertThat(reservation.getValue()).extracting(Reservation::sku, Reservation::quantity)
			.containsExactly("SKU-1", 2);
	}

	@Test
	void derivesTheReservationFromTheIdempotencyKey() throws Exception {
		given(orders.place(any(UUID.class), eq("SKU-1"), eq(2))).willReturn(ORDER);
		for (int i = 0; i < 2; i++) {
			mvc.perform(post("/api/v1/orders").contentType(MediaType.APPLICATION_JSON)
				.header("Idempotency-Key", "key-1")
				.content("{\"sku\":\"SKU-1\",\"quantity\":2}")).andExpect(status().isCreated());
		}
		mvc.perform(post("/api/v1/orders").contentType(MediaType.APPLICATION_JSON)
			.header("Idempotency-Key", "key-2")
			.content("{\"sku\":\"SKU-1\",\"quantity\":2}")).andExpect(status().isCreated());
		ArgumentCaptor<Reservation> reservations = ArgumentCaptor.forClass(Reservation.class);
		verify(inventory, times(3)).reserve(reservations.capture());
		List<UUID> ids = reservations.getAllValues().stream().map(Reservation::id).toList();
		assertThat(ids.get(0)).isEqualTo(ids.get(1)).isNotEqualTo(ids.get(2));
	}

	@Test
	void answersConflictWhenStockIsShort() throws Exception {
		willThrow(new InsufficientStockException("SKU-1", 2)).given(inventory).reserve(any());
		expectProblem(postOrder("{\"sku\":\"SKU-1\",\"quantity\":2}"), 409)
			.andExpect(jsonPath("$.detail").value("Not enough stock of SKU-1 to reserve 2."));
		verify(orders, never()).place(any(), anyString(), anyInt());
	}

	@Test
	void answersServiceUnavailableWhenInventoryIsDown() throws Exception {
		willThrow(new InventoryUnavailableException(Duration.ofMillis(1500))).given(inventory).reserve(any());
		expectProblem(postOrder("{\"sku\":\"SKU-1\",\"quantity\":2}"), 503)
			.andExpect(header().string("Retry-After", "2"));
		verify(orders, never()).place(any(), anyString(), anyInt());
	}

	@Test
	void refusesAKeyWhoseOrderOutlivedItsRecordedResponse() throws Exception {
		given(orders.place(any(UUID.class), eq("SKU-1"), eq(2))).willThrow(new DuplicateKeyException("orders_pkey"));
		expectProblem(mvc.perform(post("/api/v1/orders").contentType(MediaType.APPLICATION_JSON)
			.header("Idempotency-Key", "old-key")
			.content("{\"sku\":\"SKU-1\",\"quantity\":2}")), 422)
			.andExpect(content().string(not(containsString("orders_pkey"))));
	}

	@Test
	void refusesAKeyReusedForAnotherRequest() throws Exception {
		given(idempotentRequests.execute(any(), anyString(), any(Runnable.class), any()))
			.willThrow(new IdempotencyKeyReusedException());
		expectProblem(mvc.perform(post("/api/v1/orders").contentType(MediaType.APPLICATION_JSON)
			.header("Idempotency-Key", "used-key")
			.content("{\"sku\":\"SKU-1\",\"quantity\":2}")), 422)
			.andExpect(jsonPath("$.detail").value(containsString("already used with a different request")));
		verify(inventory, never()).reserve(any());
		verify(orders, never()).place(any(), anyString(), anyInt());
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			{"quantity":2}                     | sku
			{"sku":"SKU-1"}                    | quantity
			{"sku":"sku 1","quantity":2}       | sku
			{"sku":"SKU-1","quantity":0}       | quantity
			{"sku":"SKU-1","quantity":1001}    | quantity
			{"sku":"","quantity":-5}           | quantity, sku
			{}                                 | quantity, sku
			""")
	void rejectsInvalidFieldsByName(String body, String fields) throws Exception {
		expectProblem(postOrder(body), 400).andExpect(jsonPath("$.detail").value("Invalid request: " + fields + "."))
			.andExpect(jsonPath("$.errors[0].name").exists());
		verify(orders, never()).place(any(), anyString(), anyInt());
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			{"sku":"SKU-1","quantity":"two"}   | Field 'quantity' has a value of the wrong type.
			{"sku":["SKU-1"],"quantity":2}     | Field 'sku' has a value of the wrong type.
			{"sku":"SKU-1","quantity":1.5}     | Field 'quantity' has a value of the wrong type.
			{"sku":"SKU-1","quantity":2        | The request body is not well-formed JSON.
			not json                           | The request body is not well-formed JSON.
			""")
	void explainsUnreadableBodies(String body, String detail) throws Exception {
		expectProblem(postOrder(body), 400).andExpect(jsonPath("$.detail").value(detail));
	}

	@Test
	void rejectsAMissingBody() throws Exception {
		expectProblem(mvc.perform(post("/api/v1/orders").contentType(MediaType.APPLICATION_JSON)), 400);
	}

	@Test
	void rejectsAnUnsupportedMediaType() throws Exception {
		expectProblem(mvc.perform(post("/api/v1/orders").contentType(MediaType.TEXT_PLAIN).content("x")), 415);
	}

	@Test
	void rejectsAnInvalidIdempotencyKey() throws Exception {
		expectProblem(mvc.perform(post("/api/v1/orders").contentType(MediaType.APPLICATION_JSON)
			.header("Idempotency-Key", "x".repeat(256))
			.content("{\"sku\":\"SKU-1\",\"quantity\":2}")), 400)
			.andExpect(jsonPath("$.errors[0].name").value("Idempotency-Key"));
	}

	@Test
	void findsAnOrderWithItsETag() throws Exception {
		given(orders.find(ID)).willReturn(ORDER);
		mvc.perform(get("/api/v1/orders/{id}", ID))
			.andExpect(status().isOk())
			.andExpect(header().string("ETag", "\"0\""))
			.andExpect(jsonPath("$.sku").value("SKU-1"));
	}

	@Test
	void answersNotModifiedForACurrentETag() throws Exception {
		given(orders.find(ID)).willReturn(ORDER);
		mvc.perform(get("/api/v1/orders/{id}", ID).header("If-None-Match", "\"0\""))
			.andExpect(status().isNotModified());
	}

	@Test
	void reportsAnUnknownOrder() throws Exception {
		given(orders.find(ID)).willThrow(new OrderNotFoundException(ID));
		expectProblem(mvc.perform(get("/api/v1/orders/{id}", ID)), 404)
			.andExpect(jsonPath("$.detail").value("No order with id " + ID + "."));
	}

	@Test
	void rejectsAMalformedId() throws Exception {
		expectProblem(mvc.perform(get("/api/v1/orders/{id}", "not-a-uuid")), 400);
	}

	@Test
	void listsAPage() throws Exception {
		given(orders.list(1, 5)).willReturn(new PageImpl<>(List.of(ORDER), PageRequest.of(1, 5), 6));
		mvc.perform(get("/api/v1/orders").param("page", "1").param("size", "5"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.content[0].id").value(ID.toString()))
			.andExpect(jsonPath("$.totalElements").value(6))
			.andExpect(jsonPath("$.totalPages").value(2));
	}

	@ParameterizedTest
	@CsvSource({ "size,101", "size,0", "size,1000000", "page,-1" })
	void rejectsOutOfRangePaging(String parameter, String value) throws Exception {
		expectProblem(mvc.perform(get("/api/v1/orders").param(parameter, value)), 400)
			.andExpect(jsonPath("$.errors[0].name").value(parameter));
	}

	@ParameterizedTest
	@ValueSource(strings = { "abc", "99999999999999999999" })
	void rejectsNonNumericPaging(String value) throws Exception {
		expectProblem(mvc.perform(get("/api/v1/orders").param("size", value)), 400);
	}

	@Test
	void cancelsWithAMatchingETag() throws Exception {
		given(orders.cancel(ID, "\"0\"")).willReturn(new Order(ID, "SKU-1", 2, OrderStatus.CANCELLED, 1L, NOW, NOW));
		mvc.perform(post("/api/v1/orders/{id}/cancel", ID).header("If-Match", "\"0\""))
			.andExpect(status().isOk())
			.andExpect(header().string("ETag", "\"1\""))
			.andExpect(jsonPath("$.status").value("CANCELLED"));
	}

	@Test
	void refusesAStaleETag() throws Exception {
		given(orders.cancel(ID, "\"0\"")).willThrow(new PreconditionFailedException(3));
		expectProblem(mvc.perform(post("/api/v1/orders/{id}/cancel", ID).header("If-Match", "\"0\"")), 412)
			.andExpect(header().string("ETag", "\"3\""));
	}

	@Test
	void requiresIfMatchToCancel() throws Exception {
		given(orders.cancel(eq(ID), any())).willThrow(new PreconditionRequiredException());
		expectProblem(mvc.perform(post("/api/v1/orders/{id}/cancel", ID)), 428);
	}

	@Test
	void refusesToCancelTwice() throws Exception {
		given(orders.cancel(ID, "\"1\"")).willThrow(new OrderNotCancellableException(ID));
		expectProblem(mvc.perform(post("/api/v1/orders/{id}/cancel", ID).header("If-Match", "\"1\"")), 409);
	}

	@Test
	void answersServiceUnavailableWhenTheDatabaseIsDown() throws Exception {
		given(orders.find(ID)).willThrow(new CannotGetJdbcConnectionException("Connection refused: db:5432"));
		expectProblem(mvc.perform(get("/api/v1/orders/{id}", ID)), 503).andExpect(header().string("Retry-After", "5"))
			.andExpect(content().string(not(containsString("5432"))));
	}

	@Test
	void answersServiceUnavailableWhenNoTransactionCanBegin() throws Exception {
		given(orders.find(ID)).willThrow(new CannotCreateTransactionException("Could not open JDBC Connection",
				new SQLTransientConnectionException("HikariPool-1 - Connection is not available")));
		expectProblem(mvc.perform(get("/api/v1/orders/{id}", ID)), 503).andExpect(header().string("Retry-After", "5"));
	}

	@Test
	void answersServiceUnavailableWhenTheRollbackFailsAfterTheConnectionBroke() throws Exception {
		TransactionSystemException rollback = new TransactionSystemException("JDBC rollback failed",
				new SQLException("Connection is closed"));
		rollback.initApplicationException(
				new DataAccessResourceFailureException("I/O error", new SQLException("EOF", "08006")));
		given(orders.find(ID)).willThrow(rollback);
		expectProblem(mvc.perform(get("/api/v1/orders/{id}", ID)), 503);
	}

	@Test
	void treatsOtherTransactionFailuresAsUnexpected() throws Exception {
		given(orders.find(ID))
			.willThrow(new TransactionSystemException("commit failed", new SQLException("disk full", "53100")));
		expectProblem(mvc.perform(get("/api/v1/orders/{id}", ID)), 500);
	}

	@Test
	void answersConflictOnALockTimeout() throws Exception {
		given(orders.find(ID)).willThrow(new CannotAcquireLockException("lock timeout on orders"));
		expectProblem(mvc.perform(get("/api/v1/orders/{id}", ID)), 409);
	}

	@Test
	void hidesInternalsOfUnexpectedErrors() throws Exception {
		given(orders.find(ID)).willThrow(new IllegalStateException("select * from orders failed at Foo.java:12"));
		expectProblem(mvc.perform(get("/api/v1/orders/{id}", ID)), 500)
			.andExpect(content().string(not(containsString("select"))))
			.andExpect(content().string(not(containsString("IllegalStateException"))));
	}

	@Test
	void scopesIdempotencyKeysByTheAuthenticatedClient() throws Exception {
		given(orders.place(any(UUID.class), eq("SKU-1"), eq(2))).willReturn(ORDER);
		mvc.perform(post("/api/v1/orders").contentType(MediaType.APPLICATION_JSON)
			.header("Idempotency-Key", "k-1")
			.content("{\"sku\":\"SKU-1\",\"quantity\":2}")).andExpect(status().isCreated());
		verify(idempotentRequests).execute(
				argThat((IdempotencyKey key) -> key.clientId().equals(TestApiKeys.CLIENT) && key.key().equals("k-1")),
				anyString(), any(Runnable.class), any());
	}

	@Test
	void refusesRequestsWithoutAnApiKey() throws Exception {
		MockMvc anonymous = MockMvcBuilders.webAppContextSetup(context).apply(springSecurity()).build();
		expectProblem(anonymous.perform(get("/api/v1/orders/{id}", ID)), 401);
		verify(orders, never()).find(any());
	}

	@Test
	void reportsUnknownPathsAsProblems() throws Exception {
		expectProblem(mvc.perform(get("/api/v1/nothing-here")), 404);
	}

	private ResultActions postOrder(String body) throws Exception {
		return mvc.perform(post("/api/v1/orders").contentType(MediaType.APPLICATION_JSON).content(body));
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class Authenticated {

		@Bean
		MockMvcBuilderCustomizer apiKey() {
			return (builder) -> builder.defaultRequest(get("/").header(TestApiKeys.HEADER, TestApiKeys.KEY));
		}

	}

	private static ResultActions expectProblem(ResultActions result, int status) throws Exception {
		return result.andExpect(status().is(status))
			.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.status").value(status))
			.andExpect(jsonPath("$.detail").isNotEmpty())
			.andExpect(content().string(not(containsString("Exception"))))
			.andExpect(content().string(not(containsString("java."))))
			.andExpect(content().string(not(containsString("trace\""))));
	}

}
