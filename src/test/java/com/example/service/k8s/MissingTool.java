package com.example.service.k8s;

import org.junit.jupiter.api.Assumptions;

/**
 * What a check does when a tool it runs is not installed: in CI ({@code CI=true}, set by
 * GitHub Actions and {@code .ci/run}) it fails, because a check that did not run must not
 * pass there; on a developer's machine it is skipped with the reason and the fix, so that
 * {@code ./mvnw verify} passes on a fresh clone, as the integration tests do without a
 * database.
 */
final class MissingTool {

	private MissingTool() {
	}

	static AssertionError report(String reason) {
		if ("true".equalsIgnoreCase(System.getenv("CI"))) {
			return new AssertionError(reason);
		}
		System.err.println("[k8s checks] skipped: " + reason);
		Assumptions.abort(reason + " (skipped outside CI; CI=true makes it a failure)");
		throw new IllegalStateException("unreachable");
	}

}
