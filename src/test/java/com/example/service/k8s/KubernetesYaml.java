package com.example.service.k8s;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

import static java.util.Map.entry;

/**
 * Parses Kubernetes YAML into typed objects and rejects anything the API schema does not
 * know: the fabric8 model (built-in kinds) keeps unknown fields in
 * {@code additionalProperties}, which must be empty everywhere in the object tree; the
 * {@link CustomResources} records reject unknown fields outright. Duplicate keys are
 * rejected too.
 */
final class KubernetesYaml {

	static final YAMLMapper MAPPER = YAMLMapper.builder()
		.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
		.build();

	private static final Map<String, Class<?>> TYPES = Map.ofEntries(entry("v1/Namespace", Namespace.class),
			entry("v1/ServiceAccount", ServiceAccount.class), entry("v1/ConfigMap", ConfigMap.class),
			entry("v1/Secret", Secret.class), entry("v1/Service", Service.class),
			entry("apps/v1/Deployment", Deployment.class),
			entry("autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class),
			entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
			entry("networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class),
			entry("monitoring.coreos.com/v1/PodMonitor", CustomResources.PodMonitor.class),
			entry("monitoring.coreos.com/v1/PrometheusRule", CustomResources.PrometheusRule.class),
			entry("argoproj.io/v1alpha1/Rollout", CustomResources.Rollout.class),
			entry("argoproj.io/v1alpha1/AnalysisTemplate", CustomResources.AnalysisTemplate.class),
			entry("kustomize.config.k8s.io/v1beta1/Kustomization", CustomResources.Kustomization.class),
			entry("kustomize.config.k8s.io/v1alpha1/Component", CustomResources.Kustomization.class));

	private KubernetesYaml() {
	}

	/**
	 * Every document of {@code yaml} as a typed object.
	 * @param yaml one or more YAML documents
	 * @param source where the text comes from, for messages
	 * @return the objects, in document order
	 */
	static List<Object> parse(String yaml, String source) {
		List<JsonNode> documents;
		try {
			documents = MAPPER.readerFor(JsonNode.class).<JsonNode>readValues(yaml).readAll();
		}
		catch (JacksonException ex) {
			throw new AssertionError(source + ": not valid YAML: " + ex.getOriginalMessage(), ex);
		}
		List<Object> objects = new ArrayList<>();
		for (int i = 0; i < documents.size(); i++) {
			JsonNode document = documents.get(i);
			if (document == null || document.isNull() || document.isMissingNode()) {
				continue;
			}
			objects.add(toObject(document, source + " (document " + (i + 1) + ")"));
		}
		return objects;
	}

	private static Object toObject(JsonNode document, String source) {
		String type = document.path("apiVersion").asString("") + "/" + document.path("kind").asString("");
		Class<?> javaType = TYPES.get(type);
		if (javaType == null) {
			throw new AssertionError(source + ": no schema for " + type + " (known: " + TYPES.keySet() + ")");
		}
		String where = source + " " + type + " " + document.path("metadata").path("name").asString("");
		Object object;
		try {
			object = MAPPER.treeToValue(document, javaType);
		}
		catch (JacksonException ex) {
			throw new AssertionError(where + ": does not match the API schema: " + ex.getOriginalMessage() + " at "
					+ ex.getPathReference(), ex);
		}
		List<String> unknown = unknownFields(object);
		if (!unknown.isEmpty()) {
			throw new AssertionError(where + ": fields unknown to the Kubernetes API schema: " + unknown);
		}
		return object;
	}

	/**
	 * Paths of the fields that the model did not recognise, anywhere in the object tree.
	 * @param object a fabric8 model object or a {@link CustomResources} record
	 * @return paths like {@code spec.template.spec.containers[0].readinesProbe}
	 */
	static List<String> unknownFields(Object object) {
		List<String> found = new ArrayList<>();
		collectUnknown(object, "", found);
		return found;
	}

	private static void collectUnknown(@Nullable Object value, String path, List<String> found) {
		if (value instanceof Collection<?> collection) {
			int i = 0;
			for (Object element : collection) {
				collectUnknown(element, path + "[" + i++ + "]", found);
			}
			return;
		}
		if (value instanceof Map<?, ?> map) {
			map.forEach((key, element) -> collectUnknown(element, path + "." + key, found));
			return;
		}
		if (value == null || !isModel(value.getClass())) {
			return;
		}
		if (value.getClass().isRecord()) {
			for (RecordComponent component : value.getClass().getRecordComponents()) {
				collectUnknown(invoke(component.getAccessor(), value), join(path, component.getName()), found);
			}
			return;
		}
		for (Method getter : value.getClass().getMethods()) {
			if (!isGetter(getter)) {
				continue;
			}
			Object property = invoke(getter, value);
			if (getter.getName().equals("getAdditionalProperties")) {
				((Map<?, ?>) property).keySet().forEach((key) -> found.add(join(path, String.valueOf(key))));
			}
			else {
				collectUnknown(property, join(path, propertyName(getter)), found);
			}
		}
	}

	private static boolean isModel(Class<?> type) {
		return type.getPackageName().startsWith("io.fabric8.kubernetes.api.model")
				|| (type.isRecord() && type.getEnclosingClass() == CustomResources.class);
	}

	private static boolean isGetter(Method method) {
		String name = method.getName();
		return method.getParameterCount() == 0 && !Modifier.isStatic(method.getModifiers())
				&& method.getDeclaringClass() != Object.class && method.getReturnType() != void.class
				&& (name.startsWith("get") || name.startsWith("is")) && !name.equals("getNumericalAmount");
	}

	private static String propertyName(Method getter) {
		String name = getter.getName().substring(getter.getName().startsWith("is") ? 2 : 3);
		return name.isEmpty() ? name : Character.toLowerCase(name.charAt(0)) + name.substring(1);
	}

	private static @Nullable Object invoke(Method method, Object target) {
		try {
			return method.invoke(target);
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException("cannot read " + method, ex);
		}
	}

	private static String join(String path, String name) {
		return path.isEmpty() ? name : path + "." + name;
	}

	/**
	 * The metadata of a built-in or custom resource.
	 * @param object a parsed object
	 * @return its metadata, or {@code null} for kustomize files
	 */
	static @Nullable ObjectMeta metadata(Object object) {
		return switch (object) {
			case HasMetadata resource -> resource.getMetadata();
			case CustomResources.PodMonitor resource -> resource.metadata();
			case CustomResources.PrometheusRule resource -> resource.metadata();
			case CustomResources.Rollout resource -> resource.metadata();
			case CustomResources.AnalysisTemplate resource -> resource.metadata();
			default -> null;
		};
	}

}
