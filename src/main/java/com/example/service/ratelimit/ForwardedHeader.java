package com.example.service.ratelimit;

/**
 * The header the trusted proxies append the client address to. Only one is read: if both
 * were, a client could send the one the proxies do not touch and pick its own bucket.
 */
enum ForwardedHeader {

	/**
	 * {@code X-Forwarded-For: client, proxy1} (nginx, HAProxy, ingress-nginx, most load
	 * balancers).
	 */
	X_FORWARDED_FOR("X-Forwarded-For"),

	/** RFC 7239 {@code Forwarded: for=client, for=proxy1}. */
	FORWARDED("Forwarded");

	private final String headerName;

	ForwardedHeader(String headerName) {
		this.headerName = headerName;
	}

	String headerName() {
		return headerName;
	}

}
