package com.example.service.web;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * A state-changing request arrived without {@code If-Match}: without it a lost update
 * cannot be detected.
 */
public class PreconditionRequiredException extends ErrorResponseException {

	public PreconditionRequiredException() {
		super(HttpStatus.PRECONDITION_REQUIRED, ProblemDetail.forStatusAndDetail(HttpStatus.PRECONDITION_REQUIRED,
				"This request needs an If-Match header with the ETag of the version you read."), null);
	}

}
