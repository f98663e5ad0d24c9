package com.example.service.order.inventory;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stands in for the inventory service where there is none ({@code app.inventory.enabled}
 * false, the zero-setup local run): every reservation succeeds.
 */
class NoopInventoryClient implements InventoryClient {

	private static final Logger log = LoggerFactory.getLogger(NoopInventoryClient.class);

	@Override
	public void reserve(Reservation reservation) {
		log.debug("Inventory disabled: reservation {} accepted without a call", reservation.id());
	}

}
