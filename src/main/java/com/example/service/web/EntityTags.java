package com.example.service.web;

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.http.ETag;

/**
 * Strong entity tags derived from an optimistic-locking version, and the {@code If-Match}
 * check that uses them.
 */
public final class EntityTags {

	private EntityTags() {
	}

	public static String of(long version) {
		return "\"" + version + "\"";
	}

	/**
	 * Checks a mandatory {@code If-Match} precondition against the current version.
	 * @throws PreconditionRequiredException when the header is absent
	 * @throws PreconditionFailedException when no listed tag matches (weak tags never
	 * match, RFC 9110 13.1.1)
	 */
	public static void requireMatch(@Nullable String ifMatch, long currentVersion) {
		if (ifMatch == null || ifMatch.isBlank()) {
			throw new PreconditionRequiredException();
		}
		ETag current = ETag.create(of(currentVersion));
		List<ETag> requested = ETag.parse(ifMatch);
		boolean matches = requested.stream().anyMatch((tag) -> tag.isWildcard() || tag.compare(current, true));
		if (!matches) {
			throw new PreconditionFailedException(currentVersion);
		}
	}

}
