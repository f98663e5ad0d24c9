package com.example.service.security;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * A request body without a declared length grew past the limit while it was read.
 */
class RequestBodyTooLargeException extends ErrorResponseException {

	RequestBodyTooLargeException(long maxBytes) {
		super(HttpStatus.CONTENT_TOO_LARGE, problem(maxBytes), null);
	}

	static ProblemDetail problem(long maxBytes) {
		return ProblemDetail.forStatusAndDetail(HttpStatus.CONTENT_TOO_LARGE,
				"The request body is larger than the limit of " + maxBytes + " bytes.");
	}

}
