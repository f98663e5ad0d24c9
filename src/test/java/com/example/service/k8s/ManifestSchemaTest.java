package com.example.service.k8s;

import java.nio.file.Path;
import java.util.List;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Every file under {@code k8s/}, and the output of {@code kubectl kustomize} for every
 * kustomization, parses against the Kubernetes API schema (fabric8 model) with no unknown
 * fields.
 */
class ManifestSchemaTest {

	static List<String> files() {
		return Manifests.yamlFiles().stream().map((file) -> Manifests.ROOT.relativize(file).toString()).toList();
	}

	static List<String> kustomizations() {
		return Manifests.kustomizationDirectories()
			.stream()
			.map((dir) -> Manifests.ROOT.relativize(dir).toString())
			.toList();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("files")
	void everyFileMatchesTheSchema(String file) {
		Manifests manifests = Manifests.ofFile(Manifests.ROOT.resolve(file));
		assertThat(manifests.objects()).as(file).isNotEmpty();
	}

	@ParameterizedTest(name = "kubectl kustomize {0}")
	@MethodSource("kustomizations")
	void everyRenderingMatchesTheSchema(String dir) {
		Manifests rendered = Manifests.render(Manifests.ROOT.resolve(dir));
		assertThat(rendered.objects()).as(dir).isNotEmpty();
	}

	@Test
	void bothVariantsExist() {
		assertThat(Manifests.overlays()).extracting(Path::getFileName)
			.map(Path::toString)
			.contains("production", "argo-rollouts");
	}

	@Test
	void aMisspelledFieldIsReported() {
		String yaml = """
				apiVersion: apps/v1
				kind: Deployment
				metadata: {name: typo}
				spec:
				  selector: {matchLabels: {a: b}}
				  template:
				    metadata: {labels: {a: b}}
				    spec:
				      containers:
				        - name: app
				          image: example:1.0.0
				          readinesProbe: {httpGet: {path: /readyz, port: 8080}}
				""";
		assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> KubernetesYaml.parse(yaml, "test"))
			.withMessageContaining("spec.template.spec.containers[0].readinesProbe");
	}

	@Test
	void aCorrectDeploymentIsAccepted() {
		String yaml = """
				apiVersion: apps/v1
				kind: Deployment
				metadata: {name: fine}
				spec:
				  selector: {matchLabels: {a: b}}
				  template:
				    metadata: {labels: {a: b}}
				    spec:
				      containers:
				        - name: app
				          image: example:1.0.0
				          readinessProbe: {httpGet: {path: /readyz, port: 8080}}
				""";
		assertThat(KubernetesYaml.parse(yaml, "test")).singleElement().isInstanceOf(Deployment.class);
	}

	@Test
	void anUnknownCustomResourceFieldIsReported() {
		String yaml = """
				apiVersion: argoproj.io/v1alpha1
				kind: Rollout
				metadata: {name: typo}
				spec:
				  strategy:
				    blueGreen: {activeService: a, scaleDownDelaySecond: 30}
				""";
		assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> KubernetesYaml.parse(yaml, "test"))
			.withMessageContaining("scaleDownDelaySecond");
	}

	@Test
	void aDuplicateKeyIsReported() {
		String yaml = """
				apiVersion: v1
				kind: ConfigMap
				metadata: {name: twice}
				data:
				  A: "1"
				  A: "2"
				""";
		assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> KubernetesYaml.parse(yaml, "test"))
			.withMessageContaining("Duplicate");
	}

	@Test
	void aKindWithoutSchemaIsReported() {
		String yaml = """
				apiVersion: example.com/v1
				kind: Widget
				metadata: {name: w}
				""";
		assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> KubernetesYaml.parse(yaml, "test"))
			.withMessageContaining("no schema for example.com/v1/Widget");
	}

}
