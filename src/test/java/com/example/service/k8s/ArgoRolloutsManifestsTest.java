package com.example.service.k8s;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.example.service.k8s.CustomResources.AnalysisRunArgument;
import com.example.service.k8s.CustomResources.AnalysisTemplate;
import com.example.service.k8s.CustomResources.BlueGreenStrategy;
import com.example.service.k8s.CustomResources.PodMonitor;
import com.example.service.k8s.CustomResources.Rollout;
import com.example.service.k8s.CustomResources.RolloutAnalysis;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Argo Rollouts variant: a blue-green Rollout whose Services, pod template, analysis
 * templates, autoscaler and disruption budget all exist and fit together.
 */
class ArgoRolloutsManifestsTest {

	private final Manifests rendered = Manifests.render(Manifests.K8S.resolve("overlays/argo-rollouts"));

	private final Rollout rollout = this.rendered.one(Rollout.class, Manifests.APP);

	private final BlueGreenStrategy blueGreen = this.rollout.spec().strategy().blueGreen();

	@Test
	void takesItsPodTemplateFromADeploymentThatRunsNoPods() {
		assertThat(this.rollout.spec().template()).as("template comes from workloadRef").isNull();
		assertThat(this.rollout.spec().workloadRef().kind()).isEqualTo("Deployment");
		assertThat(this.rollout.spec().workloadRef().apiVersion()).isEqualTo("apps/v1");
		Deployment template = this.rendered.one(Deployment.class, this.rollout.spec().workloadRef().name());
		assertThat(template.getSpec().getReplicas()).as("the template Deployment runs no pods").isZero();
		assertThat(BlueGreenManifestsTest.selects(this.rollout.spec().selector().getMatchLabels(),
				template.getSpec().getTemplate()))
			.as("Rollout selector matches the template's labels")
			.isTrue();
		assertThat(template.getSpec().getTemplate().getMetadata().getLabels()).doesNotContainKey("slot");
	}

	@Test
	void activeAndPreviewServicesExistAndSelectTheRolloutPods() {
		PodTemplateSpec pods = podTemplate();
		for (String name : List.of(this.blueGreen.activeService(), this.blueGreen.previewService())) {
			Service service = this.rendered.one(Service.class, name);
			assertThat(BlueGreenManifestsTest.selects(service.getSpec().getSelector(), pods)).as("Service %s", name)
				.isTrue();
			assertThat(service.getSpec().getSelector()).as("Argo Rollouts adds the ReplicaSet hash itself")
				.doesNotContainKey("slot");
		}
		assertThat(this.blueGreen.activeService()).isNotEqualTo(this.blueGreen.previewService());
	}

	@Test
	void promotionIsGatedByAnalysisAndOldPodsStayForRollback() {
		assertThat(this.blueGreen.prePromotionAnalysis()).isNotNull();
		assertThat(this.blueGreen.postPromotionAnalysis()).isNotNull();
		assertThat(this.blueGreen.scaleDownDelaySeconds())
			.as("scaleDownDelaySeconds: kube-proxy and keep-alive connections lag the switch")
			.isGreaterThanOrEqualTo(30);
	}

	@Test
	void analysisTemplatesExistAndGetEveryArgumentTheyNeed() {
		for (RolloutAnalysis analysis : List.of(this.blueGreen.prePromotionAnalysis(),
				this.blueGreen.postPromotionAnalysis())) {
			Set<String> supplied = analysis.args().stream().map(AnalysisRunArgument::name).collect(Collectors.toSet());
			assertThat(analysis.templates()).isNotEmpty();
			for (var reference : analysis.templates()) {
				AnalysisTemplate template = this.rendered.one(AnalysisTemplate.class, reference.templateName());
				template.spec()
					.args()
					.stream()
					.filter((arg) -> arg.value() == null && arg.valueFrom() == null)
					.forEach((arg) -> assertThat(supplied).as("arguments for %s", reference.templateName())
						.contains(arg.name()));
				Set<String> declared = template.spec()
					.args()
					.stream()
					.map(CustomResources.Argument::name)
					.collect(Collectors.toSet());
				template.spec()
					.metrics()
					.stream()
					.flatMap((metric) -> Stream.of(metric.provider().prometheus(), metric.provider().web())
						.filter(java.util.Objects::nonNull)
						.map(Object::toString))
					.flatMap((text) -> java.util.regex.Pattern.compile("\\{\\{args\\.([\\w-]+)}}")
						.matcher(text)
						.results()
						.map((m) -> m.group(1)))
					.forEach((used) -> assertThat(declared).as("args used by %s", reference.templateName())
						.contains(used));
			}
		}
	}

	@Test
	void analysisSeesThePodTemplateHashOfEveryScrapedSeries() {
		PodMonitor monitor = this.rendered.one(PodMonitor.class, Manifests.APP);
		assertThat(monitor.spec().podTargetLabels()).contains("rollouts-pod-template-hash");
		assertThat(this.rendered.all(AnalysisTemplate.class)).allSatisfy((template) -> assertThat(template.spec()
			.metrics()
			.stream()
			.filter((metric) -> metric.provider().prometheus() != null)
			.map((metric) -> metric.provider().prometheus().query()))
			.allMatch((query) -> query.contains("rollouts_pod_template_hash=\"{{args.pod-template-hash}}\"")));
	}

	@Test
	void autoscalerScalesTheRolloutAndBudgetCoversItsPods() {
		HorizontalPodAutoscaler hpa = this.rendered.all(HorizontalPodAutoscaler.class).get(0);
		assertThat(this.rendered.all(HorizontalPodAutoscaler.class)).hasSize(1);
		assertThat(hpa.getSpec().getScaleTargetRef().getApiVersion()).isEqualTo("argoproj.io/v1alpha1");
		assertThat(hpa.getSpec().getScaleTargetRef().getKind()).isEqualTo("Rollout");
		assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo(Manifests.nameOf(this.rollout));
		assertThat(this.rollout.spec().replicas()).as("replicas belong to the autoscaler").isNull();
		PodDisruptionBudget pdb = this.rendered.all(PodDisruptionBudget.class).get(0);
		assertThat(BlueGreenManifestsTest.selects(pdb.getSpec().getSelector().getMatchLabels(), podTemplate()))
			.isTrue();
	}

	@Test
	void podsRunOutsideBlueGreenSlots() {
		EnvVar slot = Manifests.app(podTemplate())
			.getEnv()
			.stream()
			.filter((env) -> env.getName().equals("APP_SLOT"))
			.findFirst()
			.orElseThrow();
		assertThat(slot.getValue()).as("app.slot accepts blue, green or none").isEqualTo("none");
	}

	private PodTemplateSpec podTemplate() {
		return this.rendered.one(Deployment.class, this.rollout.spec().workloadRef().name()).getSpec().getTemplate();
	}

}
