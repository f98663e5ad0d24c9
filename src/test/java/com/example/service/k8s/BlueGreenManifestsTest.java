package com.example.service.k8s;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The plain blue-green variant (overlays/production): two Deployments labelled by slot,
 * an active and a preview Service selecting one slot each, and an autoscaler and a
 * disruption budget per slot, all consistent.
 */
class BlueGreenManifestsTest {

	private static final List<String> SLOTS = List.of("blue", "green");

	private final Manifests rendered = Manifests.render(Manifests.K8S.resolve("overlays/production"));

	@Test
	void oneDeploymentPerSlotLabelledBySlot() {
		assertThat(this.rendered.all(Deployment.class)).extracting(Manifests::nameOf)
			.containsExactlyInAnyOrder(Manifests.APP + "-blue", Manifests.APP + "-green");
		for (String slot : SLOTS) {
			Deployment deployment = deployment(slot);
			Map<String, String> selector = deployment.getSpec().getSelector().getMatchLabels();
			assertThat(deployment.getMetadata().getLabels()).containsEntry("slot", slot);
			assertThat(selector).containsEntry("slot", slot).containsEntry("app.kubernetes.io/name", Manifests.APP);
			assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels()).containsAllEntriesOf(selector);
			assertThat(deployment.getSpec().getSelector().getMatchExpressions()).isNullOrEmpty();
			assertThat(deployment.getSpec().getReplicas())
				.as("replicas belong to the autoscaler and k8s/bluegreen.sh; re-applying must not reset them")
				.isNull();
		}
	}

	@Test
	void podsTagTheirMetricsWithTheirSlot() {
		for (String slot : SLOTS) {
			assertThat(Manifests.app(deployment(slot).getSpec().getTemplate()).getEnv())
				.filteredOn((env) -> env.getName().equals("APP_SLOT"))
				.singleElement()
				.satisfies((env) -> assertThat(env.getValueFrom().getFieldRef().getFieldPath())
					.isEqualTo("metadata.labels['slot']"));
		}
	}

	@Test
	void bothSlotsRunTheSamePodSpec() {
		assertThat(withoutSlot(deployment("blue").getSpec().getTemplate()))
			.as("the slots differ only in their slot label")
			.isEqualTo(withoutSlot(deployment("green").getSpec().getTemplate()));
	}

	private static String withoutSlot(PodTemplateSpec template) {
		String yaml = KubernetesYaml.MAPPER.writeValueAsString(template);
		return yaml.replaceAll("slot: \"?(blue|green)\"?", "slot: X");
	}

	@Test
	void activeServiceSelectsBlueAndPreviewServiceSelectsGreen() {
		assertThat(slotOf(this.rendered.one(Service.class, Manifests.APP))).isEqualTo("blue");
		assertThat(slotOf(this.rendered.one(Service.class, Manifests.APP + "-preview"))).isEqualTo("green");
	}

	@Test
	void eachServiceSelectsTheHttpPortOfExactlyOneSlot() {
		for (Service service : this.rendered.all(Service.class)) {
			List<Deployment> selected = this.rendered.all(Deployment.class)
				.stream()
				.filter((d) -> selects(service.getSpec().getSelector(), d.getSpec().getTemplate()))
				.toList();
			assertThat(selected).as("Deployments selected by Service %s", Manifests.nameOf(service)).hasSize(1);
			Container app = Manifests.app(selected.get(0).getSpec().getTemplate());
			int serverPort = ApplicationConfig.forPod(this.rendered.environment(app)).serverPort();
			ServicePort port = service.getSpec().getPorts().get(0);
			assertThat(service.getSpec().getPorts()).hasSize(1);
			assertThat(ProbesAndShutdownTest.portNumber(app, port.getTargetPort()))
				.as("Service %s targetPort", Manifests.nameOf(service))
				.isEqualTo(serverPort);
			assertThat(port.getPort()).isEqualTo(serverPort);
		}
	}

	@Test
	void oneAutoscalerPerSlotTargetingItsDeployment() {
		List<HorizontalPodAutoscaler> autoscalers = this.rendered.all(HorizontalPodAutoscaler.class);
		assertThat(autoscalers).hasSize(2);
		for (String slot : SLOTS) {
			HorizontalPodAutoscaler hpa = this.rendered.one(HorizontalPodAutoscaler.class, Manifests.APP + "-" + slot);
			assertThat(hpa.getSpec().getScaleTargetRef().getKind()).isEqualTo("Deployment");
			assertThat(hpa.getSpec().getScaleTargetRef().getApiVersion()).isEqualTo("apps/v1");
			assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo(Manifests.nameOf(deployment(slot)));
			assertThat(hpa.getSpec().getMinReplicas()).as("at least 2 pods per serving slot").isGreaterThanOrEqualTo(2);
			assertThat(hpa.getSpec().getMaxReplicas()).isGreaterThan(hpa.getSpec().getMinReplicas());
		}
	}

	@Test
	void oneDisruptionBudgetPerSlotCoveringExactlyItsPods() {
		assertThat(this.rendered.all(PodDisruptionBudget.class)).hasSize(2);
		for (String slot : SLOTS) {
			PodDisruptionBudget pdb = this.rendered.one(PodDisruptionBudget.class, Manifests.APP + "-" + slot);
			List<String> covered = this.rendered.all(Deployment.class)
				.stream()
				.filter((d) -> selects(pdb.getSpec().getSelector().getMatchLabels(), d.getSpec().getTemplate()))
				.map(Manifests::nameOf)
				.toList();
			assertThat(covered).as("PDB %s", Manifests.nameOf(pdb)).containsExactly(Manifests.nameOf(deployment(slot)));
			assertThat(pdb.getSpec().getMaxUnavailable()).as("maxUnavailable (never 0: node drains must proceed)")
				.isNotNull();
			assertThat(pdb.getSpec().getMaxUnavailable().getIntVal()).isPositive();
		}
	}

	private Deployment deployment(String slot) {
		return this.rendered.one(Deployment.class, Manifests.APP + "-" + slot);
	}

	private static String slotOf(Service service) {
		return service.getSpec().getSelector().get("slot");
	}

	static boolean selects(@Nullable Map<String, String> selector, PodTemplateSpec template) {
		Map<String, String> labels = new HashMap<>(template.getMetadata().getLabels());
		return selector != null && !selector.isEmpty()
				&& selector.entrySet().stream().allMatch((e) -> e.getValue().equals(labels.get(e.getKey())));
	}

}
