package com.example.service.web;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * The resource changed since the client read it: the client must re-read and decide
 * again.
 */
public class PreconditionFailedException extends ErrorResponseException {

	public PreconditionFailedException(long currentVersion) {
		super(HttpStatus.PRECONDITION_FAILED, problem(currentVersion), null);
		getHeaders().setETag(EntityTags.of(currentVersion));
	}

	/** The resource changed concurrently, between the check and the write. */
	public PreconditionFailedException() {
		super(HttpStatus.PRECONDITION_FAILED, ProblemDetail.forStatusAndDetail(HttpStatus.PRECONDITION_FAILED,
				"The resource was modified concurrently. Read it again and retry with the new ETag."), null);
	}

	private static ProblemDetail problem(long currentVersion) {
		return ProblemDetail.forStatusAndDetail(HttpStatus.PRECONDITION_FAILED,
				"The resource was modified: If-Match does not match the current ETag " + EntityTags.of(currentVersion)
						+ ". Read it again and retry with the new ETag.");
	}

}
