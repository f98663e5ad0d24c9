package com.example.service.ratelimit;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

import org.jspecify.annotations.Nullable;

/**
 * Parses IP address literals without ever asking DNS: {@link InetAddress#getByName}
 * resolves anything that is not a well-formed literal, and forwarding headers carry
 * whatever a client wrote.
 */
final class IpAddresses {

	private IpAddresses() {
	}

	/**
	 * An IPv4 or IPv6 literal ({@code 192.0.2.1}, {@code 2001:db8::1}), or {@code null}
	 * for anything else (host names, ports, zones, obfuscated identifiers).
	 */
	static @Nullable InetAddress parse(String text) {
		if (text.isEmpty() || text.length() > 45) {
			return null;
		}
		if (text.indexOf(':') >= 0) {
			return ipv6(text);
		}
		byte[] ipv4 = ipv4(text);
		return (ipv4 != null) ? byAddress(ipv4) : null;
	}

	/**
	 * The bucket a client address belongs to: the address itself for IPv4, the /64
	 * network for IPv6 (one subscriber usually holds a whole /64, so per-address buckets
	 * would be free to multiply).
	 */
	static String bucketOf(InetAddress address) {
		if (address instanceof Inet6Address) {
			byte[] bytes = address.getAddress();
			for (int i = 8; i < 16; i++) {
				bytes[i] = 0;
			}
			InetAddress network = byAddress(bytes);
			return ((network != null) ? network.getHostAddress() : address.getHostAddress()) + "/64";
		}
		return address.getHostAddress();
	}

	private static @Nullable InetAddress ipv6(String text) {
		char first = text.charAt(0);
		if (first != ':' && Character.digit(first, 16) < 0) {
			// InetAddress only treats text starting like this as a literal.
			return null;
		}
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (!(c == ':' || c == '.' || Character.digit(c, 16) >= 0)) {
				return null;
			}
		}
		try {
			// A string with a colon is only ever parsed as an IPv6 literal, never looked
			// up.
			return InetAddress.getByName(text);
		}
		catch (UnknownHostException ex) {
			return null;
		}
	}

	private static byte @Nullable [] ipv4(String text) {
		String[] parts = text.split("\\.", -1);
		if (parts.length != 4) {
			return null;
		}
		byte[] bytes = new byte[4];
		for (int i = 0; i < 4; i++) {
			String part = parts[i];
			if (part.isEmpty() || part.length() > 3 || (part.length() > 1 && part.charAt(0) == '0')) {
				return null;
			}
			int value = 0;
			for (int j = 0; j < part.length(); j++) {
				int digit = Character.digit(part.charAt(j), 10);
				if (digit < 0) {
					return null;
				}
				value = value * 10 + digit;
			}
			if (value > 255) {
				return null;
			}
			bytes[i] = (byte) value;
		}
		return bytes;
	}

	private static @Nullable InetAddress byAddress(byte[] bytes) {
		try {
			return InetAddress.getByAddress(bytes);
		}
		catch (UnknownHostException ex) {
			return null;
		}
	}

}
