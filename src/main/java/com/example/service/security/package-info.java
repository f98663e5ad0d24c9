/**
 * API security: API keys stored as SHA-256 hashes and compared in constant time,
 * stateless and session-free, security headers, CORS closed unless configured, request
 * body limits, and a filter chain that answers every refusal with a problem. Only
 * {@code /api/**}, the probes and the three actuator endpoints are reachable.
 */
@NullMarked
package com.example.service.security;

import org.jspecify.annotations.NullMarked;
