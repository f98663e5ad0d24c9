package com.example.service.ratelimit;

import java.net.InetAddress;

/**
 * A CIDR range such as {@code 10.0.0.0/8} or {@code 2001:db8::/32}; a bare address is a
 * range of one.
 */
final class IpRange {

	private final byte[] network;

	private final int prefixLength;

	private final String text;

	private IpRange(byte[] network, int prefixLength, String text) {
		this.network = network;
		this.prefixLength = prefixLength;
		this.text = text;
	}

	/**
	 * Parses {@code address[/prefix]}.
	 * @throws IllegalArgumentException naming the offending value
	 */
	static IpRange parse(String cidr) {
		String text = cidr.strip();
		int slash = text.indexOf('/');
		String address = (slash >= 0) ? text.substring(0, slash) : text;
		InetAddress parsed = IpAddresses.parse(address);
		if (parsed == null) {
			throw new IllegalArgumentException("'" + cidr + "' is not an IP address or CIDR range");
		}
		byte[] bytes = parsed.getAddress();
		int max = bytes.length * 8;
		int prefix = max;
		if (slash >= 0) {
			try {
				prefix = Integer.parseInt(text.substring(slash + 1));
			}
			catch (NumberFormatException ex) {
				prefix = -1;
			}
			if (prefix < 0 || prefix > max) {
				throw new IllegalArgumentException("'" + cidr + "' has a prefix length outside 0.." + max);
			}
		}
		return new IpRange(bytes, prefix, text);
	}

	boolean contains(InetAddress address) {
		byte[] candidate = address.getAddress();
		if (candidate.length != network.length) {
			return false;
		}
		int fullBytes = prefixLength / 8;
		for (int i = 0; i < fullBytes; i++) {
			if (candidate[i] != network[i]) {
				return false;
			}
		}
		int remainingBits = prefixLength % 8;
		if (remainingBits == 0) {
			return true;
		}
		int mask = (0xFF << (8 - remainingBits)) & 0xFF;
		return (candidate[fullBytes] & mask) == (network[fullBytes] & mask);
	}

	@Override
	public String toString() {
		return text;
	}

}
