/**
 * HTTP error model: every error is an RFC 9457 problem ({@code application/problem+json})
 * with a useful detail and no internals; entity tags for conditional requests.
 */
@NullMarked
package com.example.service.web;

import org.jspecify.annotations.NullMarked;
