package com.example.service.k8s;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EphemeralContainer;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SeccompProfile;
import io.fabric8.kubernetes.api.model.Volume;
import org.jspecify.annotations.Nullable;

/**
 * The controls of the Pod Security Standards "restricted" profile (which includes
 * "baseline"), as Pod Security Admission checks them for {@code enforce-version: latest}.
 */
final class RestrictedProfile {

	private static final Set<String> ALLOWED_VOLUMES = Set.of("configMap", "csi", "downwardAPI", "emptyDir",
			"ephemeral", "persistentVolumeClaim", "projected", "secret");

	private static final Set<String> SAFE_SYSCTLS = Set.of("kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range",
			"net.ipv4.ip_unprivileged_port_start", "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range",
			"net.ipv4.ip_local_reserved_ports", "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout",
			"net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes");

	private static final Set<String> SELINUX_TYPES = Set.of("", "container_t", "container_init_t", "container_kvm_t",
			"container_engine_t");

	private RestrictedProfile() {
	}

	/**
	 * What Pod Security Admission would reject in a namespace enforcing "restricted".
	 * @param pod a pod spec
	 * @return one message per violation, empty if the pod is admitted
	 */
	static List<String> violations(PodSpec pod) {
		List<String> found = new ArrayList<>();
		PodSecurityContext podContext = Objects.requireNonNullElseGet(pod.getSecurityContext(),
				PodSecurityContext::new);
		check(found, !isTrue(pod.getHostNetwork()), "hostNetwork");
		check(found, !isTrue(pod.getHostPID()), "hostPID");
		check(found, !isTrue(pod.getHostIPC()), "hostIPC");
		check(found, podContext.getSysctls() == null
				|| podContext.getSysctls().stream().allMatch((sysctl) -> SAFE_SYSCTLS.contains(sysctl.getName())),
				"unsafe sysctls");
		check(found, podContext.getSeLinuxOptions() == null || seLinuxAllowed(podContext.getSeLinuxOptions()),
				"pod seLinuxOptions");
		check(found,
				podContext.getAppArmorProfile() == null
						|| !"Unconfined".equals(podContext.getAppArmorProfile().getType()),
				"pod appArmorProfile Unconfined");
		check(found, podContext.getRunAsUser() == null || podContext.getRunAsUser() != 0, "pod runAsUser 0");
		check(found, !isFalse(podContext.getRunAsNonRoot()), "pod runAsNonRoot false");
		check(found, podContext.getSeccompProfile() == null || seccompAllowed(podContext.getSeccompProfile()),
				"pod seccompProfile must be RuntimeDefault or Localhost");
		for (Volume volume : nullSafe(pod.getVolumes())) {
			check(found, ALLOWED_VOLUMES.contains(volumeType(volume)),
					"volume " + volume.getName() + " of type " + volumeType(volume));
		}
		for (ContainerView container : containers(pod)) {
			containerViolations(container, podContext, found);
		}
		return found;
	}

	private static void containerViolations(ContainerView container, PodSecurityContext pod, List<String> found) {
		String name = "container " + container.name() + ": ";
		SecurityContext context = Objects.requireNonNullElseGet(container.securityContext(), SecurityContext::new);
		check(found, !isTrue(context.getPrivileged()), name + "privileged");
		check(found, context.getWindowsOptions() == null || !isTrue(context.getWindowsOptions().getHostProcess()),
				name + "hostProcess");
		check(found, isFalse(context.getAllowPrivilegeEscalation()), name + "allowPrivilegeEscalation must be false");
		Boolean runAsNonRoot = context.getRunAsNonRoot() != null ? context.getRunAsNonRoot() : pod.getRunAsNonRoot();
		check(found, isTrue(runAsNonRoot), name + "runAsNonRoot must be true (pod or container)");
		check(found, context.getRunAsUser() == null || context.getRunAsUser() != 0, name + "runAsUser 0");
		SeccompProfile seccomp = context.getSeccompProfile() != null ? context.getSeccompProfile()
				: pod.getSeccompProfile();
		check(found, seccomp != null && seccompAllowed(seccomp),
				name + "seccompProfile must be RuntimeDefault or Localhost (pod or container)");
		Capabilities capabilities = context.getCapabilities();
		check(found, capabilities != null && nullSafe(capabilities.getDrop()).contains("ALL"),
				name + "capabilities must drop ALL");
		check(found,
				capabilities == null || nullSafe(capabilities.getAdd()).stream().allMatch("NET_BIND_SERVICE"::equals),
				name + "only NET_BIND_SERVICE may be added");
		check(found, context.getSeLinuxOptions() == null || seLinuxAllowed(context.getSeLinuxOptions()),
				name + "seLinuxOptions");
		check(found, context.getProcMount() == null || "Default".equals(context.getProcMount()), name + "procMount");
		check(found,
				context.getAppArmorProfile() == null || !"Unconfined".equals(context.getAppArmorProfile().getType()),
				name + "appArmorProfile Unconfined");
		check(found,
				container.ports().stream().allMatch((port) -> port.getHostPort() == null || port.getHostPort() == 0),
				name + "hostPort");
	}

	private static boolean seccompAllowed(SeccompProfile profile) {
		return Set.of("RuntimeDefault", "Localhost").contains(profile.getType());
	}

	private static boolean seLinuxAllowed(io.fabric8.kubernetes.api.model.SELinuxOptions options) {
		return SELINUX_TYPES.contains(Objects.requireNonNullElse(options.getType(), "")) && options.getUser() == null
				&& options.getRole() == null;
	}

	private static String volumeType(Volume volume) {
		return Stream
			.of(field("configMap", Volume::getConfigMap), field("csi", Volume::getCsi),
					field("downwardAPI", Volume::getDownwardAPI), field("emptyDir", Volume::getEmptyDir),
					field("ephemeral", Volume::getEphemeral),
					field("persistentVolumeClaim", Volume::getPersistentVolumeClaim),
					field("projected", Volume::getProjected), field("secret", Volume::getSecret),
					field("hostPath", Volume::getHostPath))
			.filter((f) -> f.getter().apply(volume) != null)
			.map(Field::name)
			.findFirst()
			.orElse("other");
	}

	private static Field field(String name, Function<Volume, @Nullable Object> getter) {
		return new Field(name, getter);
	}

	private record Field(String name, Function<Volume, @Nullable Object> getter) {
	}

	/** Regular, init and ephemeral containers alike. */
	private record ContainerView(String name, @Nullable SecurityContext securityContext, List<ContainerPort> ports) {
	}

	private static List<ContainerView> containers(PodSpec pod) {
		List<ContainerView> all = new ArrayList<>();
		for (Container c : nullSafe(pod.getInitContainers())) {
			all.add(new ContainerView(c.getName(), c.getSecurityContext(), nullSafe(c.getPorts())));
		}
		for (Container c : nullSafe(pod.getContainers())) {
			all.add(new ContainerView(c.getName(), c.getSecurityContext(), nullSafe(c.getPorts())));
		}
		for (EphemeralContainer c : nullSafe(pod.getEphemeralContainers())) {
			all.add(new ContainerView(c.getName(), c.getSecurityContext(), nullSafe(c.getPorts())));
		}
		return all;
	}

	private static void check(List<String> found, boolean ok, String violation) {
		if (!ok) {
			found.add(violation);
		}
	}

	private static boolean isTrue(@Nullable Boolean value) {
		return Boolean.TRUE.equals(value);
	}

	private static boolean isFalse(@Nullable Boolean value) {
		return Boolean.FALSE.equals(value);
	}

	static <T> List<T> nullSafe(@Nullable List<T> list) {
		return (list != null) ? list : List.of();
	}

}
