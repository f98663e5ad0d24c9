package com.example.service.ratelimit;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The test parser itself follows RFC 8941, so the header tests can trust it.
 */
class StructuredFieldsTest {

	@Test
	void parsesItemsWithParameters() {
		List<StructuredFields.Item> list = StructuredFields.parseList("\"default\";q=100;w=1, \"writes\";q=20;w=60");
		assertThat(list).extracting(StructuredFields.Item::value).containsExactly("default", "writes");
		assertThat(list.get(0).parameters()).containsExactly(Map.entry("q", 100L), Map.entry("w", 1L));
	}

	@Test
	void parsesEveryBareItemType() {
		List<StructuredFields.Item> list = StructuredFields.parseList("tok/en, -12, 1.5, ?0, :aGk=:, (a b);x");
		assertThat(list).extracting(StructuredFields.Item::value)
			.containsExactly(new StructuredFields.Token("tok/en"), -12L, new BigDecimal("1.5"), false,
					"hi".getBytes(StandardCharsets.US_ASCII),
					List.of(new StructuredFields.Item(new StructuredFields.Token("a"), Map.of()),
							new StructuredFields.Item(new StructuredFields.Token("b"), Map.of())));
		assertThat(list.get(5).parameters()).containsEntry("x", true);
	}

	@ParameterizedTest
	@ValueSource(strings = { "\"default\";Q=100", "\"default\";q=100,", "\"default\" ;q=1", "default;q=1.2345",
			"\"a\";q=1234567890123456", "\"unterminated", "\"a\";q=", "'single'", "\"a\";;q=1", "1,,2" })
	void rejectsMalformedFields(String field) {
		assertThatIllegalArgumentException().isThrownBy(() -> StructuredFields.parseList(field));
	}

}
