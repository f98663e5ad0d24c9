package com.example.service.k8s;

import java.nio.file.Path;
import java.util.List;

import com.example.service.k8s.CustomResources.PodMetricsEndpoint;
import com.example.service.k8s.CustomResources.PodMonitor;
import com.example.service.k8s.CustomResources.PrometheusRule;
import io.fabric8.kubernetes.api.model.Container;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The PodMonitor scrapes every pod of every slot on the application's management port and
 * Prometheus path; the PrometheusRule is exactly the alert rules file that compose uses.
 */
class MonitoringManifestsTest {

	static final Path RULES_FILE = Manifests.ROOT.resolve("monitoring/prometheus/alert-rules.yml");

	static final Path PROMETHEUS_RULE = Manifests.K8S.resolve("components/monitoring/prometheusrule.yaml");

	static List<String> overlays() {
		return PodHardeningTest.overlays();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("overlays")
	void podMonitorScrapesEveryPodOnTheManagementPort(String overlay) {
		Manifests rendered = Manifests.render(Manifests.ROOT.resolve(overlay));
		PodMonitor monitor = rendered.one(PodMonitor.class, Manifests.APP);
		assertThat(monitor.spec().podMetricsEndpoints()).hasSize(1);
		PodMetricsEndpoint endpoint = monitor.spec().podMetricsEndpoints().get(0);
		assertThat(rendered.podTemplates()).isNotEmpty().allSatisfy((name, template) -> {
			assertThat(BlueGreenManifestsTest.selects(monitor.spec().selector().getMatchLabels(), template))
				.as("PodMonitor selects the pods of %s", name)
				.isTrue();
			Container app = Manifests.app(template);
			ApplicationConfig config = ApplicationConfig.forPod(rendered.environment(app));
			assertThat(ProbesAndShutdownTest.portNumber(app,
					new io.fabric8.kubernetes.api.model.IntOrString(endpoint.port())))
				.as("scrape port (management.server.port)")
				.isEqualTo(config.managementPort());
			assertThat(endpoint.path()).as("scrape path").isEqualTo(config.prometheusPath());
			assertThat(config.exposedEndpoints()).as("management.endpoints.web.exposure.include")
				.contains("prometheus");
		});
		// Argo Rollouts pods have no slot label: its overlay puts the rollout's
		// pod-template hash on the target.
		assertThat(monitor.spec().podTargetLabels()).as("`up` tells the slots apart, as in compose")
			.contains(overlay.contains("argo") ? "rollouts-pod-template-hash" : "slot");
		assertThat(endpoint.honorLabels()).as("the application's own slot tag wins").isTrue();
		assertThat(rendered.one(PrometheusRule.class, Manifests.APP).spec().groups()).isNotEmpty();
		assertThat(monitor.spec().jobLabel()).as("job label taken from the pods' name label, as in compose")
			.isEqualTo("app.kubernetes.io/name");
	}

	@Test
	void prometheusRuleIsGeneratedFromTheAlertRulesFile() {
		assertThat(RULES_FILE).as("the one source of alert rules").exists();
		JsonNode rules = KubernetesYaml.MAPPER.readTree(Manifests.read(RULES_FILE));
		PrometheusRule committed = Manifests.ofFile(PROMETHEUS_RULE).one(PrometheusRule.class, Manifests.APP);
		JsonNode spec = KubernetesYaml.MAPPER.valueToTree(committed.spec());
		JsonNode committedSpec = KubernetesYaml.MAPPER.readTree(Manifests.read(PROMETHEUS_RULE)).path("spec");
		assertThat(committedSpec)
			.as("%s is out of date with %s: run k8s/components/monitoring/generate-prometheusrule.sh and commit "
					+ "the result", Manifests.ROOT.relativize(PROMETHEUS_RULE), Manifests.ROOT.relativize(RULES_FILE))
			.isEqualTo(rules);
		assertThat(spec.path("groups")).as("rule groups").isNotEmpty();
	}

	@Test
	void everyAlertIsAnAlertOrARecordingRuleWithAnExpression() {
		PrometheusRule rule = Manifests.ofFile(PROMETHEUS_RULE).one(PrometheusRule.class, Manifests.APP);
		assertThat(rule.spec().groups())
			.allSatisfy((group) -> assertThat(group.rules()).isNotEmpty().allSatisfy((r) -> {
				assertThat(r.alert() == null).as("exactly one of alert and record").isNotEqualTo(r.record() == null);
				assertThat(r.expr()).isNotBlank();
			}));
	}

}
