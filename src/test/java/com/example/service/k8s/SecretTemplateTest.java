package com.example.service.k8s;

import java.nio.file.Path;
import java.util.List;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Secret is a template with placeholders only, is never applied by a kustomization,
 * and holds what the pods mount where the application reads its config tree.
 */
class SecretTemplateTest {

	static final Path TEMPLATE = Manifests.K8S.resolve("base/common/secret.template.yaml");

	private final Secret template = Manifests.ofFile(TEMPLATE).all(Secret.class).get(0);

	@Test
	void holdsPlaceholdersOnly() {
		assertThat(this.template.getData()).as("no base64 data: placeholders in stringData only").isNullOrEmpty();
		assertThat(this.template.getStringData()).isNotEmpty()
			.allSatisfy((key,
					value) -> assertThat(value).as(key).contains("REPLACE_ME").doesNotMatch("(?s).*[0-9a-f]{64}.*"));
		assertThat(this.template.getStringData()).containsOnlyKeys("spring.datasource.password",
				"app.security.api-keys");
	}

	@Test
	void isNeverPartOfAKustomization() {
		Manifests.yamlFiles()
			.stream()
			.filter((file) -> file.getFileName().toString().equals("kustomization.yaml"))
			.map(Manifests::ofFile)
			.flatMap((file) -> file.all(CustomResources.Kustomization.class).stream())
			.forEach((kustomization) -> assertThat(RestrictedProfile.nullSafe(kustomization.resources()))
				.noneMatch((resource) -> resource.contains("secret.template")));
		for (Path dir : Manifests.overlays()) {
			assertThat(Manifests.render(dir).all(Secret.class)).as("Secrets rendered by %s", dir).isEmpty();
		}
	}

	static List<String> overlays() {
		return PodHardeningTest.overlays();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("overlays")
	void podsMountItWhereTheApplicationReadsItsConfigTree(String overlay) {
		Manifests rendered = Manifests.render(Manifests.ROOT.resolve(overlay));
		rendered.podTemplates().forEach((name, pod) -> {
			Volume volume = pod.getSpec()
				.getVolumes()
				.stream()
				.filter((v) -> v.getSecret() != null)
				.findFirst()
				.orElseThrow();
			assertThat(volume.getSecret().getSecretName()).isEqualTo(this.template.getMetadata().getName());
			assertThat(volume.getSecret().getDefaultMode()).as("0440: owner and group read").isEqualTo(0440);
			assertThat(volume.getSecret().getOptional()).as("a missing Secret keeps the pod from starting")
				.isNotEqualTo(true);
			VolumeMount mount = Manifests.app(pod)
				.getVolumeMounts()
				.stream()
				.filter((m) -> m.getName().equals(volume.getName()))
				.findFirst()
				.orElseThrow();
			assertThat(mount.getReadOnly()).isTrue();
			ApplicationConfig config = ApplicationConfig.forPod(rendered.environment(Manifests.app(pod)));
			String mountPath = mount.getMountPath().endsWith("/") ? mount.getMountPath() : mount.getMountPath() + "/";
			assertThat(config.configImports()).as("spring.config.import")
				.anySatisfy((location) -> assertThat(location).endsWith("configtree:" + mountPath));
		});
	}

}
