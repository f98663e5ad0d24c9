package com.example.service.k8s;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;

/**
 * The manifests under {@code k8s/}, and what {@code kubectl kustomize} renders from them,
 * as typed objects.
 *
 * @param source the directory or file they come from
 * @param objects the parsed objects
 */
record Manifests(String source, List<Object> objects) {

	static final Path ROOT = Paths.get("").toAbsolutePath();

	static final Path K8S = ROOT.resolve("k8s");

	static final String APP = "service-template";

	private static final Map<Path, Manifests> RENDERED = new ConcurrentHashMap<>();

	/**
	 * The overlays: what users apply.
	 * @return every directory under {@code k8s/overlays} with a kustomization
	 */
	static List<Path> overlays() {
		return kustomizationDirectories().stream().filter((dir) -> dir.startsWith(K8S.resolve("overlays"))).toList();
	}

	/**
	 * Every kustomization (not component) directory under {@code k8s/}.
	 * @return the directories, sorted
	 */
	static List<Path> kustomizationDirectories() {
		return yamlFiles().stream()
			.filter((file) -> file.getFileName().toString().equals("kustomization.yaml"))
			.filter((file) -> !read(file).contains("kind: Component"))
			.map(Path::getParent)
			.sorted()
			.toList();
	}

	/**
	 * Every YAML file under {@code k8s/}.
	 * @return the files, sorted
	 */
	static List<Path> yamlFiles() {
		try (Stream<Path> files = Files.walk(K8S)) {
			return files.filter(Files::isRegularFile)
				.filter((file) -> file.toString().endsWith(".yaml") || file.toString().endsWith(".yml"))
				.sorted()
				.toList();
		}
		catch (IOException ex) {
			throw new AssertionError("cannot list " + K8S + ": run the tests from the project directory", ex);
		}
	}

	static Manifests ofFile(Path file) {
		String name = ROOT.relativize(file).toString();
		return new Manifests(name, KubernetesYaml.parse(read(file), name));
	}

	/**
	 * What {@code kubectl kustomize dir} renders, parsed (cached per directory).
	 * @param dir a kustomization directory
	 * @return the rendered objects
	 */
	static Manifests render(Path dir) {
		return RENDERED.computeIfAbsent(dir.toAbsolutePath().normalize(), (key) -> {
			String label = "kubectl kustomize " + ROOT.relativize(key);
			return new Manifests(label, KubernetesYaml.parse(kustomize(key), label));
		});
	}

	static String kustomize(Path dir) {
		String kubectl = kubectl();
		try {
			Path stderr = Files.createTempFile("kustomize", ".err");
			Process process = new ProcessBuilder(kubectl, "kustomize", dir.toString()).redirectError(stderr.toFile())
				.start();
			String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!process.waitFor(60, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				throw new AssertionError("kubectl kustomize " + dir + " did not finish in 60 s");
			}
			String errors = Files.readString(stderr);
			Files.delete(stderr);
			if (process.exitValue() != 0) {
				throw new AssertionError("kubectl kustomize " + dir + " failed:\n" + errors);
			}
			return out;
		}
		catch (IOException ex) {
			throw new AssertionError("cannot run " + kubectl, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError("interrupted", ex);
		}
	}

	/**
	 * The kubectl to run: {@code $KUBECTL}, else {@code kubectl} on the PATH. Without it
	 * the rendered overlays cannot be checked: a failure in CI, a skip with the reason
	 * elsewhere ({@link MissingTool}).
	 * @return the executable
	 */
	static String kubectl() {
		String configured = System.getenv("KUBECTL");
		if (configured != null && !configured.isBlank()) {
			return configured;
		}
		return Stream.of(Objects.requireNonNullElse(System.getenv("PATH"), "").split(File.pathSeparator))
			.filter((dir) -> !dir.isBlank())
			.flatMap((dir) -> Stream.of(Paths.get(dir, "kubectl"), Paths.get(dir, "kubectl.exe")))
			.filter((file) -> Files.isRegularFile(file) && Files.isExecutable(file))
			.findFirst()
			.map(Path::toString)
			.orElseThrow(() -> MissingTool.report("kubectl not found: the Kubernetes manifest checks render every "
					+ "overlay with 'kubectl kustomize'. Install kubectl (1.27 or newer, it contains kustomize; "
					+ "https://kubernetes.io/docs/tasks/tools/) or set KUBECTL=/path/to/kubectl."));
	}

	static String read(Path file) {
		try {
			return Files.readString(file);
		}
		catch (IOException ex) {
			throw new AssertionError("cannot read " + file, ex);
		}
	}

	<T> List<T> all(Class<T> type) {
		return this.objects.stream().filter(type::isInstance).map(type::cast).toList();
	}

	<T> T one(Class<T> type, String name) {
		List<T> found = all(type).stream().filter((object) -> name.equals(nameOf(object))).toList();
		if (found.size() != 1) {
			throw new AssertionError(this.source + ": expected one " + type.getSimpleName() + " named " + name
					+ ", found " + found.size());
		}
		return found.get(0);
	}

	static String nameOf(Object object) {
		return Objects.requireNonNull(KubernetesYaml.metadata(object), "no metadata").getName();
	}

	/**
	 * Pod templates of every workload: Deployments (an Argo Rollout takes its template
	 * from one).
	 * @return templates by the name of their owner
	 */
	Map<String, PodTemplateSpec> podTemplates() {
		return all(Deployment.class).stream()
			.collect(java.util.stream.Collectors.toMap(Manifests::nameOf, (d) -> d.getSpec().getTemplate()));
	}

	/**
	 * The application container of a pod template.
	 * @param template a pod template
	 * @return the container named {@code app}
	 */
	static Container app(PodTemplateSpec template) {
		return template.getSpec()
			.getContainers()
			.stream()
			.filter((c) -> c.getName().equals("app"))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no container named 'app'"));
	}

	/**
	 * The environment a container gets from literal values and from ConfigMaps in these
	 * manifests ({@code envFrom} first, {@code env} wins), as Spring Boot sees it.
	 * @param container the container
	 * @return variables by name; values from field references are left out
	 */
	Map<String, String> environment(Container container) {
		Map<String, String> env = new java.util.LinkedHashMap<>();
		if (container.getEnvFrom() != null) {
			container.getEnvFrom()
				.stream()
				.filter((source) -> source.getConfigMapRef() != null)
				.forEach((source) -> env.putAll(one(ConfigMap.class, source.getConfigMapRef().getName()).getData()));
		}
		if (container.getEnv() != null) {
			container.getEnv()
				.stream()
				.filter((var) -> var.getValue() != null)
				.forEach((var) -> env.put(var.getName(), var.getValue()));
		}
		return env;
	}

}
