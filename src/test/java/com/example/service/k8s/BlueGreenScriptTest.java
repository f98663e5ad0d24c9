package com.example.service.k8s;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * k8s/bluegreen.sh against a fake kubectl (src/test/resources/k8s/fake-kubectl.py) that
 * keeps a tiny cluster in a JSON file, records every call and answers the smoke tests
 * behind {@code port-forward}. Needs bash, python3 and curl: without them it fails in CI
 * and is skipped elsewhere ({@link MissingTool}).
 */
@DisabledOnOs(value = OS.WINDOWS,
		disabledReason = "k8s/bluegreen.sh is a bash script run from Linux or macOS; " + "the Linux CI job tests it")
class BlueGreenScriptTest {

	private static final Path SCRIPT = Manifests.K8S.resolve("bluegreen.sh");

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final String BLUE = "service-template-blue";

	private static final String GREEN = "service-template-green";

	@TempDir
	Path dir;

	private Path state;

	private Path calls;

	private Path kubectl;

	@BeforeEach
	void startCluster() throws IOException {
		for (String tool : List.of("bash", "python3", "curl")) {
			if (!onPath(tool)) {
				throw MissingTool.report(tool + " not found: it is needed to test k8s/bluegreen.sh");
			}
		}
		this.kubectl = this.dir.resolve("kubectl");
		try (InputStream fake = Objects.requireNonNull(getClass().getResourceAsStream("/k8s/fake-kubectl.py"))) {
			// The interpreter itself, not a launcher shim (pyenv's add tens of
			// milliseconds to every kubectl call).
			String script = new String(fake.readAllBytes(), StandardCharsets.UTF_8);
			Files.writeString(this.kubectl, script.replaceFirst("^#!.*", "#!" + python()));
		}
		Files.setPosixFilePermissions(this.kubectl, PosixFilePermissions.fromString("rwx------"));
		this.state = this.dir.resolve("state.json");
		this.calls = this.dir.resolve("calls.log");
		Files.writeString(this.state,
				"""
						{"deployments": {
						  "service-template-blue": {"image": "registry.example.com/service-template:1.0.0", "replicas": 3,
						    "generation": 4, "labels": {"app.kubernetes.io/name": "service-template", "slot": "blue"}},
						  "service-template-green": {"image": "registry.example.com/service-template:0.9.0", "replicas": 0,
						    "generation": 2, "labels": {"app.kubernetes.io/name": "service-template", "slot": "green"}}},
						 "services": {
						  "service-template": {"selector": {"app.kubernetes.io/name": "service-template", "slot": "blue"}},
						  "service-template-preview": {"selector": {"app.kubernetes.io/name": "service-template", "slot": "green"}}},
						 "hpa": {"service-template-blue": {"minReplicas": 2}, "service-template-green": {"minReplicas": 2}},
						 "http": {"blue": {"/livez": 200, "/readyz": 200}, "green": {"/livez": 200, "/readyz": 200}}}
						""");
		Files.writeString(this.calls, "");
	}

	@Test
	void statusShowsWhichSlotEachServiceSelects() {
		Result result = run("status");
		assertThat(result.exitCode()).isZero();
		assertThat(result.stdout()).contains("Service service-template -> blue",
				"Service service-template-preview -> green", "registry.example.com/service-template:1.0.0");
	}

	@Test
	void deployUpdatesAndScalesOnlyTheIdleSlot() {
		Result result = run("deploy", "registry.example.com/service-template:1.1.0");
		assertThat(result.exitCode()).as(result.output()).isZero();
		assertThat(deployment(GREEN).path("image").asString()).isEqualTo("registry.example.com/service-template:1.1.0");
		assertThat(deployment(GREEN).path("replicas").asInt()).as("as many pods as the active slot").isEqualTo(3);
		assertThat(deployment(BLUE).path("image").asString()).isEqualTo("registry.example.com/service-template:1.0.0");
		assertThat(mutations()).allMatch((call) -> call.contains(GREEN)).isNotEmpty();
		assertThat(selector("service-template")).isEqualTo("blue");
	}

	@Test
	void deployRefusesAnUnpinnedImage() {
		assertThat(run("deploy", "registry.example.com/service-template:latest").exitCode()).isNotZero();
		assertThat(run("deploy", "registry.example.com:5000/service-template").exitCode()).isNotZero();
		assertThat(mutations()).isEmpty();
	}

	@Test
	void promoteRefusesWhenTheIdleSlotRunsNoPods() {
		Result result = run("promote");
		assertThat(result.exitCode()).isNotZero();
		assertThat(result.stderr()).contains("slot green has 0 replicas");
		assertThat(mutations()).isEmpty();
	}

	@Test
	void promoteRefusesWhenAPodIsNotReady() {
		deployGreen();
		edit((cluster) -> ((ObjectNode) cluster.path("deployments").path(GREEN)).put("unready", 1));
		Result result = run("promote");
		assertThat(result.exitCode()).isNotZero();
		assertThat(result.stderr()).contains("only 2 of 3 pods Ready");
		assertThat(mutations()).isEmpty();
		assertThat(selector("service-template")).isEqualTo("blue");
	}

	@Test
	void promoteRefusesWhenTheRolloutIsNotFinished() {
		deployGreen();
		edit((cluster) -> ((ObjectNode) cluster.path("deployments").path(GREEN)).put("stuck", true));
		Result result = run("promote");
		assertThat(result.exitCode()).isNotZero();
		assertThat(result.stderr()).contains("not fully rolled out");
		assertThat(mutations()).isEmpty();
	}

	@Test
	void promoteRefusesWhenTheSmokeTestThroughThePreviewServiceFails() {
		deployGreen();
		edit((cluster) -> ((ObjectNode) cluster.path("http").path("green")).put("/readyz", 503));
		Result result = run("promote");
		assertThat(result.exitCode()).isNotZero();
		assertThat(result.stderr()).contains("GET /readyz -> 503",
				"smoke tests through service/service-template-preview failed");
		assertThat(log()).contains("port-forward service/service-template-preview",
				"HTTP GET /readyz (slot green) -> 503");
		assertThat(mutations()).isEmpty();
		assertThat(selector("service-template")).isEqualTo("blue");
	}

	@Test
	void promoteRunsTheUsersSmokeCommandAgainstThePreviewService() {
		deployGreen();
		Result result = run(Map.of("SMOKE_COMMAND", "curl -fsS \"$BASE_URL/nothing-here\""), "promote",
				"--no-scale-down");
		assertThat(result.exitCode()).isNotZero();
		assertThat(log()).contains("HTTP GET /nothing-here (slot green) -> 404");
		assertThat(mutations()).isEmpty();
	}

	@Test
	void promoteRefusesWithoutAnApiSmokeTestUnlessToldToTrustReadiness() {
		deployGreen();
		Result result = run(Map.of("SMOKE_READINESS_ONLY", ""), "promote", "--no-scale-down");
		assertThat(result.exitCode()).isNotZero();
		assertThat(result.output()).contains("no API smoke test: set SMOKE_API_KEY");
		assertThat(mutations()).isEmpty();
	}

	@Test
	void promoteSwitchesBothServicesThenScalesTheOldSlotDownAfterTheDelay() {
		deployGreen();
		edit((cluster) -> ((ObjectNode) cluster.path("http").path("green")).put("/api/v1/orders", 200));
		Result result = run(Map.of("SMOKE_API_KEY", "k"), "promote");
		assertThat(result.exitCode()).as(result.output()).isZero();
		assertThat(log()).contains("HTTP GET /livez (slot green) -> 200", "HTTP GET /readyz (slot green) -> 200",
				"HTTP GET /api/v1/orders?size=1 (slot green)");
		assertThat(selector("service-template")).isEqualTo("green");
		assertThat(selector("service-template-preview")).isEqualTo("blue");
		assertThat(deployment(BLUE).path("replicas").asInt()).as("old slot scaled down after the delay").isZero();
		List<String> mutations = mutations();
		assertThat(mutations.get(mutations.size() - 1)).contains("scale deployment/" + BLUE, "--replicas=0");
	}

	@Test
	void rollbackIsOneCommandThatFlipsTheSelectorsBackWhileTheOldPodsRun() {
		deployGreen();
		assertThat(run("promote", "--no-scale-down").exitCode()).isZero();
		assertThat(selector("service-template")).isEqualTo("green");
		uncheckedWrite(this.calls, "");
		Result result = run("rollback");
		assertThat(result.exitCode()).as(result.output()).isZero();
		assertThat(selector("service-template")).isEqualTo("blue");
		assertThat(selector("service-template-preview")).isEqualTo("green");
		assertThat(mutations()).hasSize(2)
			.allMatch((call) -> call.contains("patch service"))
			.anyMatch((call) -> call.contains("patch service service-template --type=merge")
					&& call.contains("\"slot\":\"blue\""));
		assertThat(deployment(BLUE).path("replicas").asInt()).isEqualTo(3);
		assertThat(deployment(GREEN).path("replicas").asInt()).as("kept for inspection").isEqualTo(3);
	}

	@Test
	void rollbackRefusesWhenTheOldSlotHasNoPodsLeft() {
		deployGreen();
		assertThat(run("promote").exitCode()).isZero();
		Result result = run("rollback");
		assertThat(result.exitCode()).isNotZero();
		assertThat(result.stderr()).contains("slot blue has no Ready pod");
		assertThat(selector("service-template")).isEqualTo("green");
	}

	@Test
	void scaleDownNeverStopsTheOnlyHealthySlot() {
		deployGreen();
		edit((cluster) -> ((ObjectNode) cluster.path("deployments").path(BLUE)).put("unready", 3));
		Result result = run("scale-down");
		assertThat(result.exitCode()).isNotZero();
		assertThat(deployment(GREEN).path("replicas").asInt()).isEqualTo(3);
	}

	private void deployGreen() {
		Result result = run("deploy", "registry.example.com/service-template:1.1.0");
		assertThat(result.exitCode()).as(result.output()).isZero();
		uncheckedWrite(this.calls, "");
	}

	private Result run(String... args) {
		return run(Map.of(), args);
	}

	private Result run(Map<String, String> env, String... args) {
		try {
			ProcessBuilder builder = new ProcessBuilder(
					concat(List.of("bash", SCRIPT.toString()), List.of(args)).toArray(String[]::new));
			builder.environment().put("KUBECTL", this.kubectl.toString());
			builder.environment().put("FAKE_KUBECTL_STATE", this.state.toString());
			builder.environment().put("FAKE_KUBECTL_LOG", this.calls.toString());
			builder.environment().put("SCALE_DOWN_DELAY_SECONDS", "0");
			builder.environment().put("ROLLOUT_TIMEOUT", "5s");
			// Most tests are about something else than the API smoke test.
			builder.environment().put("SMOKE_READINESS_ONLY", "1");
			builder.environment().putAll(env);
			Path out = this.dir.resolve("out");
			Path err = this.dir.resolve("err");
			Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
			assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("bluegreen.sh finished").isTrue();
			return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
		}
		catch (IOException ex) {
			throw new AssertionError(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError(ex);
		}
	}

	private static List<String> concat(List<String> a, List<String> b) {
		return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
	}

	private String log() {
		try {
			return Files.readString(this.calls);
		}
		catch (IOException ex) {
			throw new AssertionError(ex);
		}
	}

	/** kubectl calls that change the cluster. */
	private List<String> mutations() {
		return log().lines()
			.filter((line) -> line.startsWith("kubectl"))
			.filter((line) -> line.matches(".* (patch|set|scale|delete|apply|annotate|label|edit|replace) .*"))
			.toList();
	}

	private JsonNode cluster() {
		return JSON.readTree(this.state.toFile());
	}

	private JsonNode deployment(String name) {
		return cluster().path("deployments").path(name);
	}

	private String selector(String service) {
		return cluster().path("services").path(service).path("selector").path("slot").asString();
	}

	private void edit(java.util.function.Consumer<JsonNode> change) {
		JsonNode cluster = cluster();
		change.accept(cluster);
		uncheckedWrite(this.state, JSON.writeValueAsString(cluster));
	}

	private static void uncheckedWrite(Path file, String text) {
		try {
			Files.writeString(file, text, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new AssertionError(ex);
		}
	}

	private static String python() throws IOException {
		Process process = new ProcessBuilder("python3", "-c", "import sys; print(sys.executable)").start();
		return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
	}

	private static boolean onPath(String tool) {
		return java.util.Arrays.stream(Objects.requireNonNullElse(System.getenv("PATH"), "").split(":"))
			.anyMatch((d) -> Files.isExecutable(Path.of(d, tool)));
	}

	record Result(int exitCode, String stdout, String stderr) {

		String output() {
			return this.stdout + this.stderr;
		}

	}

}
