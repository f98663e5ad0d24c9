package com.example.service.security;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;

import com.example.service.Application;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.config.YamlPropertiesFactoryBean;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Outside the local profile there is no default key, and the service refuses to start
 * without one, saying what to do and never printing a configured value.
 */
@ExtendWith(OutputCaptureExtension.class)
class ApiKeyStartupTest {

	@Test
	void refusesToStartWithoutAKeyAndSaysHowToConfigureOne(CapturedOutput output) {
		assertThatException().isThrownBy(() -> start("--app.security.api-keys=").close())
			.withRootCauseInstanceOf(InvalidApiKeysException.class);
		// The report is logged as JSON outside the local profile: quotes arrive escaped.
		assertThat(output).contains("No API key is configured (app.security.api-keys).")
			.contains("APP_SECURITY_API_KEYS=my-client:$(printf %s ")
			.contains("$API_KEY")
			.contains(" | sha256sum | cut -d' ' -f1)")
			.contains("/etc/app/secrets/app.security.api-keys");
	}

	@Test
	void refusesTheSecretTemplatesPlaceholderWithoutPrintingIt(CapturedOutput output) {
		assertThatException().isThrownBy(
				() -> start("--app.security.api-keys=example-client:REPLACE_ME_WITH_THE_SHA256_HEX_OF_THE_KEY").close())
			.withRootCauseInstanceOf(InvalidApiKeysException.class);
		assertThat(output).contains("Entry 1 of app.security.api-keys is not 'client-id:sha256-hex'")
			.doesNotContain("REPLACE_ME");
	}

	@Test
	void onlyTheLocalProfileConfiguresAKey() {
		assertThat(yaml("application.yml")).doesNotContainKey(ApiKeys.PROPERTY);
		assertThat(yaml("application-local.yml")).containsEntry(ApiKeys.PROPERTY,
				"local-dev:57c8139db7290a9064aa57837c951138a32df40cca3aca526319f55651368823");
	}

	@Test
	void readsKeysFromAMountedSecretFile(@TempDir Path secrets) throws Exception {
		// What a Kubernetes secret volume holds: one file per property, often with a
		// trailing newline.
		Files.writeString(secrets.resolve(ApiKeys.PROPERTY), "mounted-client:"
				+ HexFormat.of().formatHex(ApiKeys.sha256("mounted-key")) + ",\nother:" + "0".repeat(64) + "\n");
		try (ConfigurableApplicationContext context = start("--spring.config.import=configtree:" + secrets + "/")) {
			ApiKeys keys = context.getBean(ApiKeys.class);
			assertThat(keys.clientFor("mounted-key")).isEqualTo("mounted-client");
			assertThat(keys.size()).isEqualTo(2);
		}
	}

	/**
	 * Starts the service without a profile. Settings go on the command line: default
	 * properties would lose to application.yml.
	 */
	private static ConfigurableApplicationContext start(String... args) {
		List<String> arguments = new ArrayList<>(List.of("--server.port=0", "--management.server.port=0",
				"--spring.datasource.url=jdbc:h2:mem:startup;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE",
				"--spring.flyway.enabled=false", "--app.inventory.enabled=false"));
		arguments.addAll(List.of(args));
		return new SpringApplicationBuilder(Application.class).run(arguments.toArray(String[]::new));
	}

	private static Properties yaml(String name) {
		YamlPropertiesFactoryBean yaml = new YamlPropertiesFactoryBean();
		yaml.setResources(new ClassPathResource(name));
		Properties properties = yaml.getObject();
		assertThat(properties).isNotNull();
		return properties;
	}

}
