package com.example.service.order.inventory;

/**
 * Reserves stock for an order.
 */
public interface InventoryClient {

	/**
	 * Reserves stock, or confirms a reservation already made under the same id. Never
	 * call it while holding a database transaction: it may take up to
	 * {@code app.inventory.budget}.
	 * @param reservation what to reserve; repeating it has no further effect
	 * @throws InsufficientStockException if the inventory cannot cover the quantity
	 * @throws InventoryUnavailableException if the inventory service is slow, failing, or
	 * not being called because its circuit is open or too many calls are in flight
	 * @throws InventoryRejectedException if the inventory refused the request itself
	 */
	void reserve(Reservation reservation);

}
