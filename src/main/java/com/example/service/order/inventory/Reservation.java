package com.example.service.order.inventory;

import java.util.UUID;

/**
 * Stock held for one order.
 *
 * @param id chosen by the caller, the same for every attempt at the same order, so that
 * reserving is idempotent; it is the order's id
 * @param sku what to reserve
 * @param quantity how many
 */
public record Reservation(UUID id, String sku, int quantity) {

}
