/**
 * Safe retries for non-idempotent requests: an {@code Idempotency-Key} maps to the first
 * response, recorded in the same transaction as the work it describes.
 */
@NullMarked
package com.example.service.idempotency;

import org.jspecify.annotations.NullMarked;
