package com.example.service.k8s;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Default deny; DNS; the API port only from the ingress controller (and, for Argo
 * Rollouts, its controller's smoke test); the management port only from Prometheus;
 * egress only to PostgreSQL and the inventory service.
 */
class NetworkPolicyTest {

	static List<String> overlays() {
		return PodHardeningTest.overlays();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("overlays")
	void everythingIsDeniedByDefault(String overlay) {
		List<NetworkPolicy> policies = render(overlay).all(NetworkPolicy.class);
		assertThat(policies).anySatisfy((policy) -> {
			assertThat(policy.getSpec().getPodSelector().getMatchLabels()).isNullOrEmpty();
			assertThat(policy.getSpec().getPodSelector().getMatchExpressions()).isNullOrEmpty();
			assertThat(policy.getSpec().getPolicyTypes()).containsExactlyInAnyOrder("Ingress", "Egress");
			assertThat(policy.getSpec().getIngress()).isNullOrEmpty();
			assertThat(policy.getSpec().getEgress()).isNullOrEmpty();
		});
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("overlays")
	void ingressReachesTheApiPortFromTheIngressControllerAndManagementOnlyFromPrometheus(String overlay) {
		Manifests rendered = render(overlay);
		for (PodTemplateSpec template : rendered.podTemplates().values()) {
			ApplicationConfig config = ApplicationConfig.forPod(rendered.environment(Manifests.app(template)));
			List<NetworkPolicyIngressRule> rules = applying(rendered, template).stream()
				.filter((policy) -> policy.getSpec().getIngress() != null)
				.flatMap((policy) -> policy.getSpec().getIngress().stream())
				.toList();
			for (NetworkPolicyIngressRule rule : rules) {
				assertThat(rule.getFrom()).as("ingress from anywhere").isNotEmpty();
				assertThat(rule.getPorts()).as("ingress on every port").isNotEmpty();
				Set<Integer> ports = ports(rule.getPorts(), Manifests.app(template));
				Set<String> sources = namespaces(rule.getFrom());
				assertThat(ports).as("ports open to %s", sources)
					.isSubsetOf(config.serverPort(), config.managementPort());
				if (ports.contains(config.managementPort())) {
					assertThat(sources).as("who reaches the management port").containsExactly("monitoring");
				}
				if (ports.contains(config.serverPort())) {
					assertThat(sources).as("who reaches the API port").isSubsetOf("ingress-nginx", "argo-rollouts");
				}
			}
			Map<Integer, Set<String>> allowed = rules.stream()
				.flatMap((rule) -> ports(rule.getPorts(), Manifests.app(template)).stream()
					.map((port) -> Map.entry(port, namespaces(rule.getFrom()))))
				.collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, NetworkPolicyTest::union));
			assertThat(allowed).as("API port open to the ingress controller")
				.hasEntrySatisfying(config.serverPort(), (from) -> assertThat(from).contains("ingress-nginx"));
			assertThat(allowed).as("management port open to Prometheus").containsKey(config.managementPort());
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("overlays")
	void egressOnlyToDnsPostgresAndInventory(String overlay) {
		Manifests rendered = render(overlay);
		ConfigMap config = rendered.one(ConfigMap.class, Manifests.APP);
		int postgres = URI.create(config.getData().get("SPRING_DATASOURCE_URL").substring("jdbc:".length())).getPort();
		int inventory = URI.create(config.getData().get("APP_INVENTORY_BASE_URL")).getPort();
		for (PodTemplateSpec template : rendered.podTemplates().values()) {
			Container app = Manifests.app(template);
			Map<Integer, Set<String>> egress = applying(rendered, template).stream()
				.filter((policy) -> policy.getSpec().getEgress() != null)
				.flatMap((policy) -> policy.getSpec().getEgress().stream())
				.peek((rule) -> assertThat(rule.getTo()).as("egress to anywhere").isNotEmpty())
				.peek((rule) -> assertThat(rule.getPorts()).as("egress on every port").isNotEmpty())
				.flatMap((rule) -> ports(rule.getPorts(), app).stream()
					.map((port) -> Map.entry(port, podNames(rule.getTo()))))
				.collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, NetworkPolicyTest::union));
			assertThat(egress).containsOnlyKeys(53, postgres, inventory);
			assertThat(egress.get(53)).containsExactly("kube-dns");
			assertThat(egress.get(postgres)).containsExactly("postgresql");
			assertThat(egress.get(inventory)).containsExactly("inventory");
		}
	}

	private static Set<String> union(Set<String> a, Set<String> b) {
		Set<String> merged = new java.util.TreeSet<>(a);
		merged.addAll(b);
		return merged;
	}

	private static Manifests render(String overlay) {
		return Manifests.render(Manifests.ROOT.resolve(overlay));
	}

	private static List<NetworkPolicy> applying(Manifests rendered, PodTemplateSpec template) {
		return rendered.all(NetworkPolicy.class).stream().filter((policy) -> {
			Map<String, String> selector = policy.getSpec().getPodSelector().getMatchLabels();
			return selector == null || selector.isEmpty() || BlueGreenManifestsTest.selects(selector, template);
		}).toList();
	}

	private static Set<Integer> ports(List<NetworkPolicyPort> ports, Container container) {
		return ports.stream()
			.map((port) -> ProbesAndShutdownTest.portNumber(container, port.getPort()))
			.collect(Collectors.toSet());
	}

	/**
	 * The namespaces a rule admits, by their kubernetes.io/metadata.name label; "*" for
	 * any.
	 */
	private static Set<String> namespaces(List<NetworkPolicyPeer> peers) {
		return peers.stream().map((peer) -> {
			assertThat(peer.getIpBlock()).as("ipBlock peers").isNull();
			if (peer.getNamespaceSelector() == null) {
				return "(own namespace)";
			}
			Map<String, String> labels = peer.getNamespaceSelector().getMatchLabels();
			return (labels != null) ? labels.getOrDefault("kubernetes.io/metadata.name", "*") : "*";
		}).collect(Collectors.toSet());
	}

	private static Set<String> podNames(List<NetworkPolicyPeer> peers) {
		return peers.stream().map((peer) -> {
			assertThat(peer.getPodSelector()).as("egress peers are selected pods, not whole namespaces").isNotNull();
			Map<String, String> labels = peer.getPodSelector().getMatchLabels();
			return labels.getOrDefault("app.kubernetes.io/name", labels.getOrDefault("k8s-app", "*"));
		}).collect(Collectors.toCollection(java.util.TreeSet::new));
	}

}
