package com.example.service.web;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Renders errors that happen outside Spring MVC (a filter or Tomcat calling
 * {@code sendError}, a rejected request) as problems, replacing Boot's whitelabel page
 * and its JSON map. The detail is generic on purpose: the exception, message and stack
 * trace stay in the log.
 */
@RestController
class ProblemErrorController implements ErrorController {

	@RequestMapping("${server.error.path:/error}")
	ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
		HttpStatus status = status(request);
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail(status));
		Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
		if (uri instanceof String path) {
			problem.setInstance(java.net.URI.create(path));
		}
		return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
	}

	private static HttpStatus status(HttpServletRequest request) {
		Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
		HttpStatus status = (code instanceof Integer value) ? HttpStatus.resolve(value) : null;
		return (status != null && status.isError()) ? status : HttpStatus.INTERNAL_SERVER_ERROR;
	}

	static String detail(HttpStatus status) {
		return switch (status) {
			case NOT_FOUND -> "No resource at this path.";
			case METHOD_NOT_ALLOWED -> "This method is not allowed on this resource.";
			case CONTENT_TOO_LARGE -> "The request body is too large.";
			case REQUEST_HEADER_FIELDS_TOO_LARGE -> "The request headers are too large.";
			default -> status.is4xxClientError() ? "The request was rejected: " + status.getReasonPhrase() + "."
					: "An unexpected error occurred. It has been logged.";
		};
	}

}
