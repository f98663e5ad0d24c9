package com.example.service.observability;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * JSON logs by default (what production runs), text in the local run, UTF-8 whatever the
 * platform's default.
 */
class LoggingConfigurationTest {

	private static final String MESSAGE = "Logged as UTF-8: é€";

	/**
	 * A JVM of its own: the logging system is configured once per process, and the test
	 * JVM's default charset is UTF-8, which would hide a missing charset setting. The
	 * child claims a Latin-1 platform, where 'é' is one byte that is not UTF-8 and '€'
	 * has no encoding at all.
	 */
	@Test
	void productionLogsEcsJsonInUtf8OnAPlatformThatIsNot(@TempDir Path dir) throws Exception {
		String output = utf8(runWithoutProfile(dir));
		JsonMapper json = JsonMapper.builder().build();
		List<JsonNode> lines = output.lines().map((line) -> json(json, line)).toList();
		assertThat(lines).as(output)
			.allSatisfy((line) -> assertThat(line.at("/ecs/version").asString()).isNotEmpty())
			.filteredOn((line) -> line.path("message").asString().startsWith("Logged as"))
			.singleElement()
			.satisfies((line) -> {
				assertThat(line.get("message").asString()).isEqualTo(MESSAGE);
				assertThat(line.at("/log/level").asString()).isEqualTo("INFO");
			});
	}

	@Test
	void theLocalRunLogsReadableText() throws IOException {
		String name = "application-local.yml";
		assertThat(new YamlPropertySourceLoader().load(name, new ClassPathResource(name))
			.get(0)
			.getProperty("logging.structured.format.console")).hasToString("");
	}

	private static byte[] runWithoutProfile(Path dir) throws Exception {
		// An argument file: the class path is longer than a Windows command line may be.
		Path arguments = dir.resolve("java-arguments");
		String classPath = System.getProperty("java.class.path").replace('\\', '/');
		Files.writeString(arguments, "-cp \"" + classPath + "\"", StandardCharsets.UTF_8);
		Path output = dir.resolve("stdout");
		Path errors = dir.resolve("stderr");
		ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Dfile.encoding=ISO-8859-1", "-Dstdout.encoding=ISO-8859-1", "-Dstderr.encoding=ISO-8859-1",
				"-XX:TieredStopAtLevel=1", "@" + arguments, ProductionLogging.class.getName())
			.redirectOutput(output.toFile())
			.redirectError(errors.toFile());
		// Whatever the machine running the build sets must not change the configuration.
		builder.environment().keySet().removeIf((name) -> name.startsWith("SPRING_") || name.startsWith("LOGGING_"));
		Process process = builder.start();
		if (!process.waitFor(60, TimeUnit.SECONDS)) {
			process.destroyForcibly().waitFor();
			throw new AssertionError("the application did not stop within 60 s; stderr:\n" + read(errors));
		}
		assertThat(process.exitValue()).as(() -> "exit value; stderr:\n" + read(errors)).isZero();
		return Files.readAllBytes(output);
	}

	/**
	 * Strict: a byte sequence that is not UTF-8 fails instead of becoming U+FFFD.
	 */
	private static String utf8(byte[] bytes) {
		try {
			return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
		}
		catch (CharacterCodingException ex) {
			throw new AssertionError("The log is not UTF-8 (" + ex + "), read as Latin-1:\n"
					+ new String(bytes, StandardCharsets.ISO_8859_1), ex);
		}
	}

	private static JsonNode json(JsonMapper json, String line) {
		try {
			return json.readTree(line);
		}
		catch (JacksonException ex) {
			throw new AssertionError("Not a JSON log line: " + line, ex);
		}
	}

	private static String read(Path file) {
		try {
			return Files.readString(file, StandardCharsets.ISO_8859_1);
		}
		catch (IOException ex) {
			return ex.toString();
		}
	}

	/**
	 * The application's configuration files and no profile, as in production, without its
	 * beans: logging is configured from the environment before any bean exists, so a
	 * database is not needed to see what production logs.
	 */
	@Configuration(proxyBeanMethods = false)
	static class ProductionLogging {

		public static void main(String[] args) {
			try (ConfigurableApplicationContext context = new SpringApplicationBuilder(ProductionLogging.class)
				.web(WebApplicationType.NONE)
				.run()) {
				LoggerFactory.getLogger(ProductionLogging.class).info(MESSAGE);
			}
		}

	}

}
