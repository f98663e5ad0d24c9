package com.example.service.order;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import com.example.service.web.PreconditionFailedException;
import com.example.service.web.PreconditionRequiredException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.mockito.stubbing.Answer;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.data.jdbc.test.autoconfigure.DataJdbcTest;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.willAnswer;
import static org.mockito.Mockito.mockingDetails;

/**
 * How cancelling turns version checks into HTTP preconditions, on the embedded database
 * with the real migrations, so that it is covered without PostgreSQL ({@code OrderApiIT}
 * repeats the main path there). Not in a test transaction: each call runs in the
 * service's own, as in production, and a concurrent writer can commit in between.
 */
@DataJdbcTest
@AutoConfigureTestDatabase(replace = AutoConfigureTestDatabase.Replace.NONE)
@ActiveProfiles("local")
@Transactional(propagation = Propagation.NOT_SUPPORTED)
@Import({ OrderService.class, OrderServiceTest.Infrastructure.class })
class OrderServiceTest {

	private static final Instant NOW = Instant.parse("2026-11-21T10:15:30.123456Z");

	@Autowired
	private OrderService service;

	@MockitoSpyBean
	private OrderRepository orders;

	@Autowired
	private PlatformTransactionManager transactions;

	@Test
	void cancelsWithTheCurrentVersion() {
		Order placed = service.place(UUID.randomUUID(), "SKU-1", 2);
		Order cancelled = service.cancel(placed.id(), "\"0\"");
		assertThat(cancelled.status()).isEqualTo(OrderStatus.CANCELLED);
		assertThat(cancelled.version()).isEqualTo(1);
	}

	@Test
	void refusesAStaleIfMatchAndNamesTheCurrentVersion() {
		Order placed = service.place(UUID.randomUUID(), "SKU-1", 2);
		assertThatExceptionOfType(PreconditionFailedException.class)
			.isThrownBy(() -> service.cancel(placed.id(), "\"5\""))
			.satisfies((ex) -> {
				assertThat(ex.getStatusCode().value()).isEqualTo(412);
				assertThat(ex.getHeaders().getETag()).isEqualTo("\"0\"");
			});
		assertThat(stored(placed).status()).isEqualTo(OrderStatus.PLACED);
	}

	@Test
	void requiresIfMatch() {
		Order placed = service.place(UUID.randomUUID(), "SKU-1", 2);
		assertThatExceptionOfType(PreconditionRequiredException.class)
			.isThrownBy(() -> service.cancel(placed.id(), null))
			.satisfies((ex) -> assertThat(ex.getStatusCode().value()).isEqualTo(428));
		assertThat(stored(placed).status()).isEqualTo(OrderStatus.PLACED);
	}

	@Test
	void refusesToCancelTwice() {
		Order placed = service.place(UUID.randomUUID(), "SKU-1", 2);
		service.cancel(placed.id(), "\"0\"");
		assertThatExceptionOfType(OrderNotCancellableException.class)
			.isThrownBy(() -> service.cancel(placed.id(), "\"1\""))
			.satisfies((ex) -> assertThat(ex.getStatusCode().value()).isEqualTo(409));
		assertThat(stored(placed).version()).isEqualTo(1);
	}

	/**
	 * Another client cancels and commits after this request read version 0 and passed the
	 * If-Match check: the version column catches it at the write, and the client hears
	 * 412 (read again), not a 500 or a 409 about a state it never saw.
	 */
	@Test
	void aConcurrentWriterBetweenReadAndWriteIsAFailedPrecondition() {
		Order placed = service.place(UUID.randomUUID(), "SKU-1", 2);
		// The repository is a JDK proxy: the spy reaches it through its default answer,
		// there is no real method to call.
		Answer<?> repository = mockingDetails(orders).getMockCreationSettings().getDefaultAnswer();
		AtomicBoolean raced = new AtomicBoolean();
		willAnswer((read) -> {
			Object order = repository.answer(read);
			if (raced.compareAndSet(false, true)) {
				anotherClientCancels(placed);
			}
			return order;
		}).given(orders).findById(any());
		assertThatExceptionOfType(PreconditionFailedException.class)
			.isThrownBy(() -> service.cancel(placed.id(), "\"0\""))
			.satisfies((ex) -> {
				assertThat(ex.getStatusCode().value()).isEqualTo(412);
				assertThat(ex.getBody().getDetail()).contains("modified concurrently");
			});
		assertThat(stored(placed).version()).as("only the other writer's change").isEqualTo(1);
	}

	private void anotherClientCancels(Order placed) {
		TransactionTemplate other = new TransactionTemplate(transactions);
		other.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
		other.executeWithoutResult((status) -> orders.save(placed.cancel(NOW.plusSeconds(1))));
	}

	private Order stored(Order order) {
		return orders.findById(order.id()).orElseThrow();
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class Infrastructure {

		@Bean
		Clock clock() {
			return Clock.fixed(NOW, ZoneOffset.UTC);
		}

		@Bean
		MeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

	}

}
