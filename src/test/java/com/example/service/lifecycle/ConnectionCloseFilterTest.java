package com.example.service.lifecycle;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;

class ConnectionCloseFilterTest {

	private final ConnectionCloseFilter filter = new ConnectionCloseFilter();

	private final MockHttpServletResponse response = new MockHttpServletResponse();

	@Test
	void leavesConnectionsOpenWhileServing() throws Exception {
		filter.doFilter(new MockHttpServletRequest("GET", "/api/v1/things"), response, new MockFilterChain());
		assertThat(response.getHeader("Connection")).isNull();
		assertThat(filter.isDraining()).isFalse();
	}

	@Test
	void closesEveryConnectionOnceDraining() throws Exception {
		filter.startDraining();
		filter.doFilter(new MockHttpServletRequest("GET", "/api/v1/things"), response, new MockFilterChain());
		assertThat(response.getHeader("Connection")).isEqualTo("close");
	}

	@Test
	void keepsTheHeaderWhenAnErrorHandlerResetsTheResponse() throws Exception {
		filter.startDraining();
		filter.doFilter(new MockHttpServletRequest("POST", "/api/v1/things"), response, (request, wrapped) -> {
			HttpServletResponse http = (HttpServletResponse) wrapped;
			http.reset();
			http.sendError(503);
		});
		assertThat(response.getStatus()).isEqualTo(503);
		assertThat(response.getHeader("Connection")).isEqualTo("close");
	}

	@Test
	void closesOnErrorDispatchesToo() throws Exception {
		filter.startDraining();
		MockHttpServletRequest error = new MockHttpServletRequest("GET", "/error");
		error.setDispatcherType(DispatcherType.ERROR);
		filter.doFilter(error, response, new MockFilterChain());
		assertThat(response.getHeader("Connection")).isEqualTo("close");
	}

}
