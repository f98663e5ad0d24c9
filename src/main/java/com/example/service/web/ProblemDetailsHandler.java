package com.example.service.web;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.exc.MismatchedInputException;

import org.springframework.context.MessageSourceResolvable;
import org.springframework.core.MethodParameter;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.TransactionException;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.validation.method.ParameterErrors;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Turns every exception into an RFC 9457 problem. Details name the offending input so a
 * client can fix its request; they never carry stack traces, SQL, class names or
 * exception messages from libraries.
 */
@RestControllerAdvice
class ProblemDetailsHandler extends ResponseEntityExceptionHandler {

	private static final Logger log = LoggerFactory.getLogger(ProblemDetailsHandler.class);

	/** Seconds a client should wait before retrying when a dependency is unavailable. */
	static final String RETRY_AFTER_SECONDS = "5";

	@Override
	protected @Nullable ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		List<InvalidParameter> errors = ex.getBindingResult()
			.getFieldErrors()
			.stream()
			.map((error) -> new InvalidParameter(error.getField(), message((MessageSourceResolvable) error)))
			.sorted(Comparator.comparing(InvalidParameter::name))
			.toList();
		return invalid(ex, headers, status, request, errors);
	}

	@Override
	protected @Nullable ResponseEntity<Object> handleHandlerMethodValidationException(
			HandlerMethodValidationException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		List<InvalidParameter> errors = ex.getParameterValidationResults()
			.stream()
			.flatMap((result) -> (result instanceof ParameterErrors body)
					? body.getFieldErrors()
						.stream()
						.map((error) -> new InvalidParameter(error.getField(),
								message((MessageSourceResolvable) error)))
					: result.getResolvableErrors()
						.stream()
						.map((error) -> new InvalidParameter(parameterName(result.getMethodParameter()),
								message(error))))
			.sorted(Comparator.comparing(InvalidParameter::name))
			.toList();
		return invalid(ex, headers, HttpStatus.BAD_REQUEST, request, errors);
	}

	@Override
	protected @Nullable ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		ErrorResponse cause = errorResponseCause(ex);
		if (cause != null) {
			// Reading failed on purpose, e.g. the body passed the size limit (413).
			return handleExceptionInternal(ex, cause.getBody(), cause.getHeaders(), cause.getStatusCode(), request);
		}
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, unreadableDetail(ex.getCause()));
		return handleExceptionInternal(ex, problem, headers, status, request);
	}

	@ExceptionHandler({ CannotGetJdbcConnectionException.class, DataAccessResourceFailureException.class,
			TransientDataAccessException.class })
	ResponseEntity<ProblemDetail> databaseUnavailable(Exception ex) {
		if (ex instanceof ConcurrencyFailureException) {
			return conflict();
		}
		log.warn("Database unavailable: {}", ex.getClass().getSimpleName());
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
				"The database is temporarily unavailable. Retry after the delay in Retry-After.");
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
			.header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS)
			.body(problem);
	}

	/**
	 * A transaction that could not begin, or whose rollback failed after the connection
	 * broke (the database went away mid-request), is an outage, not a bug.
	 */
	@ExceptionHandler(TransactionException.class)
	ResponseEntity<ProblemDetail> transactionFailed(TransactionException ex) {
		Throwable application = (ex instanceof TransactionSystemException system) ? system.getApplicationException()
				: null;
		return (connectionLost(ex) || connectionLost(application)) ? databaseUnavailable(ex) : unexpected(ex);
	}

	private static boolean connectionLost(@Nullable Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof DataAccessResourceFailureException || cause instanceof SQLTransientConnectionException
					|| cause instanceof SQLNonTransientConnectionException || cause instanceof SQLException sql
							&& sql.getSQLState() != null && sql.getSQLState().startsWith("08")) {
				return true;
			}
		}
		return false;
	}

	@ExceptionHandler(ConcurrencyFailureException.class)
	ResponseEntity<ProblemDetail> concurrentUpdate(ConcurrencyFailureException ex) {
		return conflict();
	}

	@ExceptionHandler(Exception.class)
	ResponseEntity<ProblemDetail> unexpected(Exception ex) {
		log.error("Unexpected error while handling a request", ex);
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
				"An unexpected error occurred. It has been logged; retrying will not help until it is fixed.");
		return ResponseEntity.internalServerError().body(problem);
	}

	private ResponseEntity<ProblemDetail> conflict() {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT,
				"A concurrent request changed the same data. Read it again and retry.");
		return ResponseEntity.status(HttpStatus.CONFLICT).body(problem);
	}

	private @Nullable ResponseEntity<Object> invalid(Exception ex, HttpHeaders headers, HttpStatusCode status,
			WebRequest request, List<InvalidParameter> errors) {
		String names = errors.stream().map(InvalidParameter::name).distinct().collect(Collectors.joining(", "));
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, "Invalid request: " + names + ".");
		problem.setProperty("errors", errors);
		return handleExceptionInternal(ex, problem, headers, status, request);
	}

	private static @Nullable ErrorResponse errorResponseCause(Throwable ex) {
		for (Throwable cause = ex.getCause(); cause != null && cause != ex; cause = cause.getCause()) {
			if (cause instanceof ErrorResponse response) {
				return response;
			}
		}
		return null;
	}

	private static String unreadableDetail(@Nullable Throwable cause) {
		if (cause instanceof MismatchedInputException mismatch && !mismatch.getPath().isEmpty()) {
			return "Field '" + path(mismatch) + "' has a value of the wrong type.";
		}
		if (cause instanceof DatabindException databind && !databind.getPath().isEmpty()) {
			return "Field '" + path(databind) + "' could not be read.";
		}
		if (cause instanceof StreamReadException || cause instanceof JacksonException) {
			return "The request body is not well-formed JSON.";
		}
		return "The request body is missing or unreadable.";
	}

	private static String path(DatabindException ex) {
		return ex.getPath()
			.stream()
			.map((ref) -> (ref.getPropertyName() != null) ? ref.getPropertyName() : "[" + ref.getIndex() + "]")
			.collect(Collectors.joining("."))
			.replace(".[", "[");
	}

	private static String message(MessageSourceResolvable error) {
		String message = error.getDefaultMessage();
		return (message != null) ? message : "is invalid";
	}

	/**
	 * The name the client used: the header or query parameter, not the Java parameter.
	 */
	private static String parameterName(MethodParameter parameter) {
		RequestHeader header = parameter.getParameterAnnotation(RequestHeader.class);
		if (header != null && !header.name().isEmpty()) {
			return header.name();
		}
		RequestParam param = parameter.getParameterAnnotation(RequestParam.class);
		if (param != null && !param.name().isEmpty()) {
			return param.name();
		}
		String name = parameter.getParameterName();
		return (name != null) ? name : "arg" + parameter.getParameterIndex();
	}

	/**
	 * One invalid input, named as the client sent it.
	 */
	record InvalidParameter(String name, String reason) {
	}

}
