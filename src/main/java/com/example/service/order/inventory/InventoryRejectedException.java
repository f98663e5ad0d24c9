package com.example.service.order.inventory;

import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * The inventory refused our request with a 4xx other than 409: a bug or a configuration
 * mismatch between the two services, which the API client cannot fix by retrying.
 */
public class InventoryRejectedException extends ErrorResponseException {

	InventoryRejectedException(HttpStatusCode inventoryStatus) {
		super(HttpStatus.BAD_GATEWAY,
				ProblemDetail.forStatusAndDetail(HttpStatus.BAD_GATEWAY,
						"The inventory service rejected the reservation (status " + inventoryStatus.value()
								+ "). This has been logged; retrying will not help until it is fixed."),
				null);
	}

}
