package com.example.service.k8s;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import org.jspecify.annotations.NullUnmarked;

/**
 * Strict models of the custom resources and kustomize files in {@code k8s/}, for which
 * fabric8 8.0.0 has no published model here. Each record holds the fields of the upstream
 * schema that a manifest of this project may use (field names from the Prometheus
 * Operator, Argo Rollouts and kustomize API types); Jackson rejects any other field. A
 * field the upstream schema has but this model lacks is added here, never ignored.
 * <p>
 * Not null-marked: every field of these schemas is optional, so any component may be
 * {@code null}.
 */
@NullUnmarked
final class CustomResources {

	private CustomResources() {
	}

	// kustomize.config.k8s.io: Kustomization and Component

	record Kustomization(String apiVersion, String kind, String namespace, String namePrefix, String nameSuffix,
			List<String> resources, List<String> components, List<KustomizeLabel> labels, List<KustomizePatch> patches,
			List<KustomizeImage> images) {
	}

	record KustomizeLabel(Map<String, String> pairs, Boolean includeSelectors, Boolean includeTemplates) {
	}

	record KustomizePatch(String path, String patch, KustomizeTarget target) {
	}

	record KustomizeTarget(String group, String version, String kind, String name, String namespace,
			String labelSelector, String annotationSelector) {
	}

	record KustomizeImage(String name, String newName, String newTag, String digest) {
	}

	// monitoring.coreos.com/v1: PodMonitor and PrometheusRule

	record PodMonitor(String apiVersion, String kind, ObjectMeta metadata, PodMonitorSpec spec) {
	}

	record PodMonitorSpec(String jobLabel, List<String> podTargetLabels, LabelSelector selector,
			NamespaceSelector namespaceSelector, List<PodMetricsEndpoint> podMetricsEndpoints, Long sampleLimit) {
	}

	record NamespaceSelector(Boolean any, List<String> matchNames) {
	}

	record PodMetricsEndpoint(String port, Integer portNumber, String path, String scheme, String interval,
			String scrapeTimeout, Boolean honorLabels, Boolean honorTimestamps) {
	}

	record PrometheusRule(String apiVersion, String kind, ObjectMeta metadata, PrometheusRuleSpec spec) {
	}

	record PrometheusRuleSpec(List<RuleGroup> groups) {
	}

	record RuleGroup(String name, String interval, Integer limit, @JsonProperty("query_offset") String queryOffset,
			Map<String, String> labels, @JsonProperty("partial_response_strategy") String partialResponseStrategy,
			List<Rule> rules) {
	}

	record Rule(String alert, String record, String expr, @JsonProperty("for") String forDuration,
			@JsonProperty("keep_firing_for") String keepFiringFor, Map<String, String> labels,
			Map<String, String> annotations) {
	}

	// argoproj.io/v1alpha1: Rollout (blue-green strategy only) and AnalysisTemplate

	record Rollout(String apiVersion, String kind, ObjectMeta metadata, RolloutSpec spec) {
	}

	record RolloutSpec(Integer replicas, LabelSelector selector, PodTemplateSpec template, WorkloadRef workloadRef,
			Integer minReadySeconds, Integer revisionHistoryLimit, Integer progressDeadlineSeconds,
			Boolean progressDeadlineAbort, Boolean paused, RolloutStrategy strategy) {
	}

	record WorkloadRef(String apiVersion, String kind, String name, String scaleDown) {
	}

	record RolloutStrategy(BlueGreenStrategy blueGreen) {
	}

	record BlueGreenStrategy(String activeService, String previewService, Integer previewReplicaCount,
			Boolean autoPromotionEnabled, Integer autoPromotionSeconds, IntOrString maxUnavailable,
			Integer scaleDownDelaySeconds, Integer scaleDownDelayRevisionLimit, RolloutAnalysis prePromotionAnalysis,
			RolloutAnalysis postPromotionAnalysis, Integer abortScaleDownDelaySeconds, PodMetadata previewMetadata,
			PodMetadata activeMetadata) {
	}

	record PodMetadata(Map<String, String> labels, Map<String, String> annotations) {
	}

	record RolloutAnalysis(List<AnalysisTemplateRef> templates, List<AnalysisRunArgument> args) {
	}

	record AnalysisTemplateRef(String templateName, Boolean clusterScope) {
	}

	record AnalysisRunArgument(String name, String value, RolloutArgumentValueFrom valueFrom) {
	}

	record RolloutArgumentValueFrom(String podTemplateHashValue, FieldRef fieldRef) {
	}

	record FieldRef(String fieldPath) {
	}

	record AnalysisTemplate(String apiVersion, String kind, ObjectMeta metadata, AnalysisTemplateSpec spec) {
	}

	record AnalysisTemplateSpec(List<Argument> args, List<Metric> metrics) {
	}

	record Argument(String name, String value, ArgumentValueFrom valueFrom) {
	}

	record ArgumentValueFrom(SecretKeyRef secretKeyRef, FieldRef fieldRef) {
	}

	record SecretKeyRef(String name, String key) {
	}

	record Metric(String name, String interval, String initialDelay, IntOrString count, String successCondition,
			String failureCondition, IntOrString failureLimit, IntOrString inconclusiveLimit,
			IntOrString consecutiveErrorLimit, MetricProvider provider) {
	}

	record MetricProvider(PrometheusMetric prometheus, WebMetric web) {
	}

	record PrometheusMetric(String address, String query, String timeout, Boolean insecure) {
	}

	record WebMetric(String method, String url, List<WebHeader> headers, String body, Integer timeoutSeconds,
			String jsonPath, Boolean insecure) {
	}

	record WebHeader(String key, String value) {
	}

}
