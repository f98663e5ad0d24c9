package com.example.service.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * The accepted API keys, held only as SHA-256 digests. A presented key is hashed and
 * compared with every digest using {@link MessageDigest#isEqual}, without stopping at a
 * match, so the time taken says nothing about which key, or how much of it, matched.
 * <p>
 * A plain SHA-256 (no salt, no stretching) is enough because keys are long random
 * strings, not passwords: there is nothing to guess from a dictionary.
 */
final class ApiKeys {

	static final String PROPERTY = "app.security.api-keys";

	private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

	private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-fA-F]{64}");

	private final List<Entry> entries;

	private ApiKeys(List<Entry> entries) {
		this.entries = List.copyOf(entries);
	}

	/**
	 * Parses {@code client-id:sha256-hex} entries; each configured value may hold
	 * several, separated by commas or whitespace.
	 * @throws InvalidApiKeysException when there is no entry or one is malformed; the
	 * message names the entry's position, never its content
	 */
	static ApiKeys parse(List<String> configured) {
		List<Entry> entries = new ArrayList<>();
		Set<String> digests = new HashSet<>();
		int position = 0;
		for (String value : configured) {
			for (String entry : value.split("[,\\s]+")) {
				if (entry.isEmpty()) {
					continue;
				}
				position++;
				int colon = entry.indexOf(':');
				String client = (colon > 0) ? entry.substring(0, colon) : "";
				String digest = (colon > 0) ? entry.substring(colon + 1) : "";
				if (!CLIENT_ID.matcher(client).matches() || !SHA256_HEX.matcher(digest).matches()) {
					throw new InvalidApiKeysException("Entry " + position + " of " + PROPERTY
							+ " is not 'client-id:sha256-hex' (a client id of letters, digits, '.', '_' or '-', "
							+ "then the 64 hex digits of the key's SHA-256).");
				}
				if (!digests.add(digest.toLowerCase(Locale.ROOT))) {
					throw new InvalidApiKeysException("Entry " + position + " of " + PROPERTY
							+ " repeats the hash of an earlier entry: every key must be unique.");
				}
				entries.add(new Entry(client, HexFormat.of().parseHex(digest)));
			}
		}
		if (entries.isEmpty()) {
			throw new InvalidApiKeysException("No API key is configured (" + PROPERTY + ").");
		}
		return new ApiKeys(entries);
	}

	/**
	 * The client a presented key belongs to, or {@code null} if it is not a valid key.
	 */
	@Nullable String clientFor(String presentedKey) {
		byte[] digest = sha256(presentedKey);
		String match = null;
		for (Entry entry : entries) {
			if (MessageDigest.isEqual(entry.digest(), digest)) {
				match = entry.clientId();
			}
		}
		return match;
	}

	int size() {
		return entries.size();
	}

	static byte[] sha256(String key) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is required by every Java platform", ex);
		}
	}

	private record Entry(String clientId, byte[] digest) {
	}

}
