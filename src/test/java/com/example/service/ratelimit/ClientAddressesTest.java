package com.example.service.ratelimit;

import java.net.InetAddress;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ClientAddressesTest {

	private final ClientAddresses noProxies = new ClientAddresses(List.of(), ForwardedHeader.X_FORWARDED_FOR);

	private final ClientAddresses behindProxies = new ClientAddresses(
			List.of(IpRange.parse("10.0.0.0/8"), IpRange.parse("192.168.1.7"), IpRange.parse("fd00::/8")),
			ForwardedHeader.X_FORWARDED_FOR);

	private final ClientAddresses behindRfc7239Proxies = new ClientAddresses(List.of(IpRange.parse("10.0.0.0/8")),
			ForwardedHeader.FORWARDED);

	@Test
	void ignoresForwardingHeadersWithoutTrustedProxies() {
		assertThat(noProxies.bucketOf("203.0.113.9", List.of("198.51.100.1"))).isEqualTo("203.0.113.9");
	}

	@Test
	void ignoresASpoofedHeaderFromAnUntrustedPeer() {
		assertThat(behindProxies.bucketOf("203.0.113.9", List.of("198.51.100.1"))).isEqualTo("203.0.113.9");
		assertThat(behindProxies.bucketOf("203.0.113.9", List.of("10.0.0.1"))).isEqualTo("203.0.113.9");
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			198.51.100.1                                | 198.51.100.1
			spoofed-by-client, 198.51.100.1             | 198.51.100.1
			6.6.6.6, 198.51.100.1                       | 198.51.100.1
			198.51.100.1, 10.1.2.3                      | 198.51.100.1
			198.51.100.1, 10.1.2.3, 192.168.1.7         | 198.51.100.1
			198.51.100.1:51234                          | 198.51.100.1
			[2001:db8:1:2:3:4:5:6]:443                  | 2001:db8:1:2:0:0:0:0/64
			2001:db8:1:2::99, fd00::1                   | 2001:db8:1:2:0:0:0:0/64
			::ffff:198.51.100.1                         | 198.51.100.1
			10.9.9.9, 10.1.2.3                          | 10.9.9.9
			unknown                                     | 10.0.0.2
			198.51.100.1, garbage                       | 10.0.0.2
			'198.51.100.1, '                            | 10.0.0.2
			""")
	void takesTheRightMostAddressThatIsNotATrustedProxy(String forwardedFor, String bucket) {
		assertThat(behindProxies.bucketOf("10.0.0.2", List.of(forwardedFor))).isEqualTo(bucket);
	}

	@Test
	void readsHeaderLinesInOrder() {
		assertThat(behindProxies.bucketOf("10.0.0.2", List.of("6.6.6.6", "198.51.100.1, 10.1.1.1")))
			.isEqualTo("198.51.100.1");
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			for=198.51.100.1                                           | 198.51.100.1
			for=6.6.6.6, for=198.51.100.1;proto=https;by=10.0.0.2      | 198.51.100.1
			for="[2001:db8:cafe::17]:4711"                             | 2001:db8:cafe:0:0:0:0:0/64
			For="198.51.100.1:80";host="a,b", for=10.0.0.9             | 198.51.100.1
			for=_hidden                                                | 10.0.0.2
			proto=https                                                | 10.0.0.2
			""")
	void readsRfc7239Forwarded(String forwarded, String bucket) {
		assertThat(behindRfc7239Proxies.bucketOf("10.0.0.2", List.of(forwarded))).isEqualTo(bucket);
	}

	@Test
	void readsOnlyTheConfiguredHeader() {
		// A client could add the header the proxies do not write; only the configured one
		// counts.
		ClientAddresses addresses = new ClientAddresses(List.of(IpRange.parse("10.0.0.0/8")),
				ForwardedHeader.X_FORWARDED_FOR);
		assertThat(addresses.bucketOf("10.0.0.2", List.of())).isEqualTo("10.0.0.2");
	}

	@Test
	void groupsIpv6ClientsByTheirSlash64() {
		assertThat(noProxies.bucketOf("2001:db8:1:2:aaaa::1", List.of()))
			.isEqualTo(noProxies.bucketOf("2001:db8:1:2:bbbb::2", List.of()));
		assertThat(noProxies.bucketOf("2001:db8:1:3::1", List.of()))
			.isNotEqualTo(noProxies.bucketOf("2001:db8:1:2::1", List.of()));
	}

	@ParameterizedTest
	@ValueSource(strings = { "example.com", "1.2.3", "256.1.1.1", "01.2.3.4", "1.2.3.4.5", ".:1", "x::1", "::1%eth0",
			"", "1.2.3.4/33", "10.0.0.0/-1", "10.0.0.0/a" })
	void rejectsAnythingButAddressLiteralsAsRanges(String text) {
		assertThatIllegalArgumentException().isThrownBy(() -> IpRange.parse(text));
	}

	@Test
	void matchesCidrRanges() {
		IpRange range = IpRange.parse("172.16.0.0/12");
		assertThat(range.contains(address("172.31.255.255"))).isTrue();
		assertThat(range.contains(address("172.32.0.0"))).isFalse();
		assertThat(IpRange.parse("::/0").contains(address("2001:db8::1"))).isTrue();
		assertThat(IpRange.parse("::/0").contains(address("10.0.0.1"))).isFalse();
		assertThat(IpRange.parse("0.0.0.0/0").contains(address("10.0.0.1"))).isTrue();
	}

	private static InetAddress address(String text) {
		InetAddress address = IpAddresses.parse(text);
		assertThat(address).isNotNull();
		return address;
	}

}
