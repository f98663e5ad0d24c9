package com.example.service.web;

import java.io.IOException;
import java.io.Writer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/**
 * Tomcat's last word on a request it rejects before the application sees it (headers over
 * {@code server.max-http-request-header-size}, a malformed request line or URI): a
 * problem instead of Tomcat's HTML page. Errors inside the application never get here;
 * they are rendered by {@link ProblemDetailsHandler} or {@link ProblemErrorController}.
 */
final class ProblemErrorReportValve extends ErrorReportValve {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@Override
	protected void report(Request request, Response response, Throwable throwable) {
		int code = response.getStatus();
		if (code < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
			return;
		}
		AtomicBoolean ioAllowed = new AtomicBoolean(true);
		response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
		if (!ioAllowed.get()) {
			return;
		}
		HttpStatus status = HttpStatus.resolve(code);
		Map<String, Object> problem = new LinkedHashMap<>();
		problem.put("title", (status != null) ? status.getReasonPhrase() : "Error");
		problem.put("status", code);
		problem.put("detail", (code == 400) ? "The request is malformed, or its headers are over the size limit."
				: (status != null) ? ProblemErrorController.detail(status) : "The request failed.");
		try {
			response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
			Writer writer = response.getReporter();
			if (writer != null) {
				writer.write(JSON.writeValueAsString(problem));
				response.finishResponse();
			}
		}
		catch (IOException | IllegalStateException ex) {
			// The connection is going away; there is no one left to tell.
		}
	}

}
