package com.example.service.order;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Body of {@code POST /api/v1/orders}. Fields are nullable so that a missing field is
 * reported by validation, by name, instead of turning into a default value.
 *
 * @param sku stock keeping unit: upper-case letters, digits and dashes, 3 to 32
 * characters
 * @param quantity how many, 1 to {@value #MAX_QUANTITY}
 */
record OrderRequest(
		@NotNull @Pattern(regexp = "[A-Z0-9][A-Z0-9-]{2,31}",
				message = "must be 3 to 32 upper-case letters, digits or dashes") @Nullable String sku,
		@NotNull @Min(1) @Max(MAX_QUANTITY) @Nullable Integer quantity) {

	static final int MAX_QUANTITY = 1000;

}
