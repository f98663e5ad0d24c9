package com.example.service.idempotency;

import org.jspecify.annotations.Nullable;

/**
 * The part of a response that is replayed for a retried request.
 *
 * @param status HTTP status code
 * @param location the {@code Location} header, if any
 * @param body the JSON body, if any
 */
public record RecordedResponse(int status, @Nullable String location, @Nullable String body) {

}
