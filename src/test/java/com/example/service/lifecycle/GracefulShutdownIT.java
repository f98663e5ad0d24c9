package com.example.service.lifecycle;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.example.service.Application;
import com.example.service.lifecycle.HttpConnection.Response;
import com.example.service.testsupport.RequiresPostgres;
import com.example.service.testsupport.TestApiKeys;
import com.example.service.testsupport.TestDatabase;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.testcontainers.postgresql.PostgreSQLContainer;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionOperations;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Database work in flight when shutdown begins is never half-written: within the shutdown
 * budget it completes and commits; past the budget the connection is closed and
 * PostgreSQL rolls the whole transaction back.
 */
@RequiresPostgres
class GracefulShutdownIT {

	private final ExecutorService threads = Executors.newCachedThreadPool();

	private ConfigurableApplicationContext context;

	private JdbcConnectionDetails database;

	/**
	 * The database outlives each application run, so the test can look at it after the
	 * shutdown: a container started here (not a bean of the closed context), or the
	 * server named by TEST_DATABASE_URL.
	 */
	private static @Nullable PostgreSQLContainer container;

	@AfterAll
	static void stopDatabase() {
		if (container != null) {
			container.stop();
		}
	}

	@AfterEach
	void stop() {
		if (context != null) {
			context.close();
		}
		threads.shutdownNow();
	}

	@Test
	void writeInFlightCompletesAndCommitsBothRows() throws Exception {
		int port = start("--app.lifecycle.drain-delay=500ms");
		String key = key();
		CompletableFuture<Response> write = write(port, key, 2000);
		CompletableFuture.runAsync(context::close, threads).get(30, TimeUnit.SECONDS);
		assertThat(write.get(5, TimeUnit.SECONDS).status()).isEqualTo(200);
		assertThat(rows(key)).isEqualTo(2);
	}

	/**
	 * Tomcat gives up after the phase timeout (1 s), then waits about 5 s more while it
	 * stops; the data source closes after that and aborts the connection in the middle of
	 * the 12 s transaction.
	 */
	@Test
	void writePastTheShutdownBudgetRollsBackWhole() throws Exception {
		int port = start("--app.lifecycle.drain-delay=0", "--spring.lifecycle.timeout-per-shutdown-phase=1s");
		String key = key();
		CompletableFuture<Response> write = write(port, key, 12_000);
		CompletableFuture.runAsync(context::close, threads).get(30, TimeUnit.SECONDS);
		assertThat(WriteController.finished.await(20, TimeUnit.SECONDS)).as("the work ended").isTrue();
		assertThat(write.get(5, TimeUnit.SECONDS).status()).as("no success reported").isNotEqualTo(200);
		assertThat(rows(key)).as("neither row: the transaction never committed").isZero();
	}

	private int start(String... arguments) {
		WriteController.started = new CountDownLatch(1);
		WriteController.finished = new CountDownLatch(1);
		List<String> all = new ArrayList<>(
				List.of("--server.port=0", "--management.server.port=0", "--app.inventory.enabled=false"));
		all.addAll(database());
		all.addAll(List.of(arguments));
		context = new SpringApplicationBuilder(Application.class, WriteController.class)
			.run(all.toArray(String[]::new));
		database = context.getBean(JdbcConnectionDetails.class);
		return ((WebServerApplicationContext) context).getWebServer().getPort();
	}

	private CompletableFuture<Response> write(int port, String key, long millis) throws InterruptedException {
		CompletableFuture<Response> write = CompletableFuture.supplyAsync(() -> {
			try (HttpConnection connection = HttpConnection.open(port)) {
				return connection.send("POST", "/api/test/write?key=" + key + "&millis=" + millis, "{}",
						TestApiKeys.HEADER + ": " + TestApiKeys.KEY);
			}
			catch (IOException ex) {
				return new Response(0, Map.of(), ex.toString());
			}
		}, threads);
		assertThat(WriteController.started.await(10, TimeUnit.SECONDS)).as("first row written").isTrue();
		return write;
	}

	private int rows(String key) throws SQLException {
		try (Connection connection = DriverManager.getConnection(database.getJdbcUrl(), database.getUsername(),
				database.getPassword());
				PreparedStatement query = connection
					.prepareStatement("select count(*) from idempotency_keys where client_id = ?")) {
			query.setString(1, key);
			try (ResultSet result = query.executeQuery()) {
				result.next();
				return result.getInt(1);
			}
		}
	}

	private static String key() {
		return "SD-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
	}

	private static List<String> database() {
		if (TestDatabase.mode() == TestDatabase.Mode.CONTAINER) {
			if (container == null) {
				container = new PostgreSQLContainer(TestDatabase.image());
				container.start();
			}
			return List.of("--spring.datasource.url=" + container.getJdbcUrl(),
					"--spring.datasource.username=" + container.getUsername(),
					"--spring.datasource.password=" + container.getPassword());
		}
		List<String> external = new ArrayList<>();
		external.add("--spring.datasource.url=" + System.getenv("TEST_DATABASE_URL"));
		if (System.getenv("TEST_DATABASE_USERNAME") != null) {
			external.add("--spring.datasource.username=" + System.getenv("TEST_DATABASE_USERNAME"));
			external.add("--spring.datasource.password=" + System.getenv("TEST_DATABASE_PASSWORD"));
		}
		return external;
	}

	/**
	 * Two rows in one transaction with a pause between them: a half-written state would
	 * show as one row.
	 */
	@RestController
	static class WriteController {

		static volatile CountDownLatch started = new CountDownLatch(1);

		static volatile CountDownLatch finished = new CountDownLatch(1);

		private final JdbcClient jdbc;

		private final TransactionOperations transactions;

		WriteController(JdbcClient jdbc, TransactionOperations transactions) {
			this.jdbc = jdbc;
			this.transactions = transactions;
		}

		@PostMapping("/api/test/write")
		String write(@RequestParam String key, @RequestParam long millis) {
			try {
				return writeBoth(key, millis);
			}
			finally {
				finished.countDown();
			}
		}

		private String writeBoth(String key, long millis) {
			transactions.executeWithoutResult((status) -> {
				insert(key, "first");
				started.countDown();
				busy(millis);
				insert(key, "second");
			});
			return "written";
		}

		/**
		 * Like a long statement, this work does not stop when Tomcat interrupts its
		 * thread.
		 */
		private static void busy(long millis) {
			long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
			boolean interrupted = false;
			while (System.nanoTime() < deadline) {
				try {
					Thread.sleep(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
				}
				catch (InterruptedException ex) {
					interrupted = true;
				}
			}
			if (interrupted) {
				Thread.currentThread().interrupt();
			}
		}

		/**
		 * Rows in a table of the production machinery, not of the deletable example
		 * feature.
		 */
		private void insert(String client, String key) {
			jdbc.sql("insert into idempotency_keys (client_id, idempotency_key, request_hash, response_status, "
					+ "created_at) values (?, ?, 'test', 200, ?)")
				.params(client, key, Timestamp.from(Instant.now()))
				.update();
		}

	}

}
