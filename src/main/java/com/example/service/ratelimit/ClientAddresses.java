package com.example.service.ratelimit;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

/**
 * Finds the address a request came from for rate limiting. The direct peer is the client
 * unless it is one of our trusted proxies; then the forwarding header is read from the
 * right, skipping further trusted proxies, and the first address that is not ours is the
 * client. Everything left of it was written by the client and is ignored, so a client
 * cannot choose its bucket by sending the header itself.
 */
final class ClientAddresses {

	private final List<IpRange> trustedProxies;

	private final ForwardedHeader header;

	ClientAddresses(List<IpRange> trustedProxies, ForwardedHeader header) {
		this.trustedProxies = List.copyOf(trustedProxies);
		this.header = header;
	}

	/**
	 * The rate-limit bucket of the request's client address.
	 */
	String bucketOf(HttpServletRequest request) {
		List<String> values = trustedProxies.isEmpty() ? List.of()
				: Collections.list(request.getHeaders(header.headerName()));
		return bucketOf(request.getRemoteAddr(), values);
	}

	String bucketOf(String remoteAddr, List<String> headerValues) {
		InetAddress peer = IpAddresses.parse(remoteAddr);
		if (peer == null) {
			return remoteAddr;
		}
		return IpAddresses.bucketOf(client(peer, headerValues));
	}

	private InetAddress client(InetAddress peer, List<String> headerValues) {
		if (!isTrusted(peer) || headerValues.isEmpty()) {
			return peer;
		}
		List<String> hops = hops(headerValues);
		InetAddress client = peer;
		for (int i = hops.size() - 1; i >= 0; i--) {
			InetAddress hop = address(hops.get(i));
			if (hop == null) {
				// A trusted proxy wrote something we cannot use ("unknown", an obfuscated
				// name): the last address we know is the best we have.
				return client;
			}
			client = hop;
			if (!isTrusted(hop)) {
				return hop;
			}
		}
		return client;
	}

	private boolean isTrusted(InetAddress address) {
		for (IpRange range : trustedProxies) {
			if (range.contains(address)) {
				return true;
			}
		}
		return false;
	}

	private List<String> hops(List<String> headerValues) {
		List<String> hops = new ArrayList<>();
		for (String value : headerValues) {
			if (header == ForwardedHeader.FORWARDED) {
				forwardedFor(value, hops);
			}
			else {
				for (String hop : value.split(",")) {
					hops.add(hop.strip());
				}
			}
		}
		return hops;
	}

	/**
	 * Adds the {@code for} parameter of each RFC 7239 element (empty when absent),
	 * honouring quoted strings that may contain separators.
	 */
	private static void forwardedFor(String value, List<String> hops) {
		StringBuilder token = new StringBuilder();
		String forValue = "";
		boolean quoted = false;
		for (int i = 0; i <= value.length(); i++) {
			char c = (i < value.length()) ? value.charAt(i) : ',';
			if (quoted) {
				if (c == '\\' && i + 1 < value.length()) {
					token.append(value.charAt(++i));
				}
				else if (c == '"') {
					quoted = false;
				}
				else {
					token.append(c);
				}
			}
			else if (c == '"') {
				quoted = true;
			}
			else if (c == ';' || c == ',') {
				String pair = token.toString().strip();
				token.setLength(0);
				int equals = pair.indexOf('=');
				if (equals > 0 && pair.substring(0, equals).strip().toLowerCase(Locale.ROOT).equals("for")) {
					forValue = pair.substring(equals + 1).strip();
				}
				if (c == ',') {
					hops.add(forValue);
					forValue = "";
				}
			}
			else {
				token.append(c);
			}
		}
	}

	/**
	 * A node as proxies write it: {@code 192.0.2.1}, {@code 192.0.2.1:4711},
	 * {@code 2001:db8::1} or {@code [2001:db8::1]:4711}.
	 */
	private static @Nullable InetAddress address(String node) {
		if (node.startsWith("[")) {
			int end = node.indexOf(']');
			return (end > 0) ? IpAddresses.parse(node.substring(1, end)) : null;
		}
		int colon = node.indexOf(':');
		if (colon > 0 && colon == node.lastIndexOf(':')) {
			return IpAddresses.parse(node.substring(0, colon));
		}
		return IpAddresses.parse(node);
	}

}
