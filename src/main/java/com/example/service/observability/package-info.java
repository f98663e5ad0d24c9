/**
 * Observability: common metric tags, trace ids returned to callers (header and problem
 * bodies). Metric names and the reason for each setting: docs/metrics.md and
 * docs/observability.md.
 */
@NullMarked
package com.example.service.observability;

import org.jspecify.annotations.NullMarked;
