package com.example.service.k8s;

import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pods meet the "restricted" Pod Security Standard, in a namespace that enforces it, plus
 * what kube-linter, kube-score and Polaris ask beyond it: read-only root file system,
 * resources, no service-account token, pinned images.
 */
class PodHardeningTest {

	static List<String> overlays() {
		return Manifests.overlays().stream().map((dir) -> Manifests.ROOT.relativize(dir).toString()).toList();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("overlays")
	void podsMeetTheRestrictedProfile(String overlay) {
		Map<String, PodTemplateSpec> templates = Manifests.render(Manifests.ROOT.resolve(overlay)).podTemplates();
		assertThat(templates).isNotEmpty();
		templates.forEach((name, template) -> assertThat(RestrictedProfile.violations(template.getSpec()))
			.as("%s: %s violates the restricted profile", overlay, name)
			.isEmpty());
	}

	@Test
	void theRestrictedCheckCatchesViolations() {
		PodSpec pod = new io.fabric8.kubernetes.api.model.PodSpecBuilder().withHostNetwork(true)
			.addNewContainer()
			.withName("app")
			.withNewSecurityContext()
			.withPrivileged(true)
			.endSecurityContext()
			.endContainer()
			.addNewVolume()
			.withName("host")
			.withNewHostPath()
			.withPath("/")
			.endHostPath()
			.endVolume()
			.build();
		assertThat(RestrictedProfile.violations(pod)).contains("hostNetwork", "volume host of type hostPath",
				"container app: privileged", "container app: allowPrivilegeEscalation must be false",
				"container app: runAsNonRoot must be true (pod or container)",
				"container app: capabilities must drop ALL");
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("overlays")
	void theNamespaceEnforcesTheRestrictedProfile(String overlay) {
		Manifests rendered = Manifests.render(Manifests.ROOT.resolve(overlay));
		Namespace namespace = rendered.all(Namespace.class).stream().findFirst().orElseThrow();
		assertThat(namespace.getMetadata().getLabels()).containsEntry("pod-security.kubernetes.io/enforce",
				"restricted");
		rendered.all(HasMetadata.class)
			.stream()
			.filter((object) -> !(object instanceof Namespace))
			.forEach((object) -> assertThat(object.getMetadata().getNamespace())
				.as("%s %s", object.getKind(), object.getMetadata().getName())
				.isEqualTo(namespace.getMetadata().getName()));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("overlays")
	void podsAreHardenedBeyondTheProfile(String overlay) {
		Manifests rendered = Manifests.render(Manifests.ROOT.resolve(overlay));
		SoftAssertions softly = new SoftAssertions();
		rendered.podTemplates().forEach((name, template) -> {
			PodSpec pod = template.getSpec();
			String where = overlay + ": " + name;
			softly.assertThat(pod.getAutomountServiceAccountToken())
				.as("%s automountServiceAccountToken", where)
				.isFalse();
			ServiceAccount account = rendered.one(ServiceAccount.class, pod.getServiceAccountName());
			softly.assertThat(account.getAutomountServiceAccountToken())
				.as("%s ServiceAccount automountServiceAccountToken", where)
				.isFalse();
			softly.assertThat(pod.getSecurityContext().getRunAsUser())
				.as("%s runAsUser", where)
				.isGreaterThanOrEqualTo(10000L);
			softly.assertThat(pod.getSecurityContext().getRunAsGroup())
				.as("%s runAsGroup", where)
				.isGreaterThanOrEqualTo(10000L);
			softly.assertThat(pod.getTopologySpreadConstraints())
				.as("%s topologySpreadConstraints", where)
				.isNotEmpty()
				.allSatisfy((constraint) -> assertThat(
						BlueGreenManifestsTest.selects(constraint.getLabelSelector().getMatchLabels(), template))
					.isTrue());
			softly
				.assertThat(pod.getAffinity().getPodAntiAffinity().getPreferredDuringSchedulingIgnoredDuringExecution())
				.as("%s host podAntiAffinity (kube-score)", where)
				.anySatisfy((term) -> {
					assertThat(term.getPodAffinityTerm().getTopologyKey()).isEqualTo("kubernetes.io/hostname");
					assertThat(BlueGreenManifestsTest
						.selects(term.getPodAffinityTerm().getLabelSelector().getMatchLabels(), template)).isTrue();
				});
			for (Container container : pod.getContainers()) {
				hardenedContainer(softly, where + " container " + container.getName(), container, pod);
			}
		});
		softly.assertAll();
	}

	private void hardenedContainer(SoftAssertions softly, String where, Container container, PodSpec pod) {
		softly.assertThat(container.getSecurityContext().getReadOnlyRootFilesystem())
			.as("%s readOnlyRootFilesystem", where)
			.isTrue();
		VolumeMount tmp = container.getVolumeMounts()
			.stream()
			.filter((mount) -> mount.getMountPath().equals("/tmp"))
			.findFirst()
			.orElse(null);
		softly.assertThat(tmp).as("%s writable /tmp", where).isNotNull();
		if (tmp != null) {
			Volume volume = pod.getVolumes()
				.stream()
				.filter((v) -> v.getName().equals(tmp.getName()))
				.findFirst()
				.orElseThrow();
			softly.assertThat(volume.getEmptyDir()).as("%s /tmp is an emptyDir", where).isNotNull();
			softly.assertThat(volume.getEmptyDir().getSizeLimit()).as("%s /tmp sizeLimit", where).isNotNull();
		}
		Map<String, Quantity> requests = container.getResources().getRequests();
		Map<String, Quantity> limits = container.getResources().getLimits();
		softly.assertThat(requests).as("%s requests", where).containsKeys("cpu", "memory", "ephemeral-storage");
		softly.assertThat(limits).as("%s limits", where).containsKeys("cpu", "memory", "ephemeral-storage");
		softly.assertThat(limits.get("memory"))
			.as("%s memory limit = request", where)
			.isEqualTo(requests.get("memory"));
		softly.assertThat(container.getImage())
			.as("%s image", where)
			.matches(PodHardeningTest::pinned, "has a version tag or digest, not latest");
		softly.assertThat(container.getImagePullPolicy())
			.as("%s imagePullPolicy (kube-score)", where)
			.isEqualTo("Always");
	}

	static boolean pinned(String image) {
		if (image.contains("@sha256:")) {
			return true;
		}
		String last = image.substring(image.lastIndexOf('/') + 1);
		int colon = last.lastIndexOf(':');
		return colon > 0 && !last.substring(colon + 1).equals("latest") && !last.substring(colon + 1).isBlank();
	}

	@Test
	void pinnedImagesAreRecognised() {
		assertThat(pinned("registry.example.com:5000/service-template:1.2.3")).isTrue();
		assertThat(pinned("service-template@sha256:0123")).isTrue();
		assertThat(pinned("registry.example.com:5000/service-template")).isFalse();
		assertThat(pinned("service-template:latest")).isFalse();
	}

}
