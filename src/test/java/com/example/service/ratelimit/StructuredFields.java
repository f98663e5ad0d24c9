package com.example.service.ratelimit;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict parser for RFC 8941 structured field Lists (section 4.2), enough to prove that
 * the rate-limit headers are well-formed. Anything the RFC does not allow throws
 * {@link IllegalArgumentException}.
 */
final class StructuredFields {

	/**
	 * A list member: a bare item (Long, BigDecimal, String, Token, byte[], Boolean) or an
	 * inner list (List of Item), with its parameters.
	 */
	record Item(Object value, Map<String, Object> parameters) {
	}

	/** A token, kept apart from a string. */
	record Token(String value) {
	}

	private final String input;

	private int pos;

	private StructuredFields(String input) {
		this.input = input;
	}

	static List<Item> parseList(String field) {
		StructuredFields parser = new StructuredFields(field);
		parser.skipSp();
		List<Item> members = parser.list();
		parser.skipSp();
		if (!parser.atEnd()) {
			throw parser.error("trailing characters");
		}
		return members;
	}

	private List<Item> list() {
		List<Item> members = new ArrayList<>();
		while (!atEnd()) {
			members.add((peek() == '(') ? innerList() : item());
			skipOws();
			if (atEnd()) {
				return members;
			}
			expect(',');
			skipOws();
			if (atEnd()) {
				throw error("trailing comma");
			}
		}
		return members;
	}

	private Item innerList() {
		expect('(');
		List<Item> items = new ArrayList<>();
		while (!atEnd()) {
			skipSp();
			if (peek() == ')') {
				pos++;
				return new Item(items, parameters());
			}
			items.add(item());
			if (!atEnd() && peek() != ' ' && peek() != ')') {
				throw error("inner list items must be separated by spaces");
			}
		}
		throw error("unterminated inner list");
	}

	private Item item() {
		Object value = bareItem();
		return new Item(value, parameters());
	}

	private Map<String, Object> parameters() {
		Map<String, Object> parameters = new LinkedHashMap<>();
		while (!atEnd() && peek() == ';') {
			pos++;
			skipSp();
			String key = key();
			Object value = Boolean.TRUE;
			if (!atEnd() && peek() == '=') {
				pos++;
				value = bareItem();
			}
			parameters.put(key, value);
		}
		return parameters;
	}

	private String key() {
		if (atEnd() || !(isLcalpha(peek()) || peek() == '*')) {
			throw error("a key must start with a lower-case letter or '*'");
		}
		int start = pos;
		while (!atEnd() && (isLcalpha(peek()) || isDigit(peek()) || "_-.*".indexOf(peek()) >= 0)) {
			pos++;
		}
		return input.substring(start, pos);
	}

	private Object bareItem() {
		if (atEnd()) {
			throw error("missing item");
		}
		char c = peek();
		if (c == '-' || isDigit(c)) {
			return number();
		}
		if (c == '"') {
			return string();
		}
		if (c == ':') {
			return byteSequence();
		}
		if (c == '?') {
			return bool();
		}
		if (isAlpha(c) || c == '*') {
			return token();
		}
		throw error("unexpected '" + c + "'");
	}

	private Object number() {
		int start = pos;
		if (peek() == '-') {
			pos++;
		}
		if (atEnd() || !isDigit(peek())) {
			throw error("a number needs a digit");
		}
		boolean decimal = false;
		int dot = -1;
		while (!atEnd() && (isDigit(peek()) || (peek() == '.' && !decimal))) {
			if (peek() == '.') {
				decimal = true;
				dot = pos;
			}
			pos++;
		}
		String text = input.substring(start, pos);
		String digits = text.startsWith("-") ? text.substring(1) : text;
		if (!decimal) {
			if (digits.length() > 15) {
				throw error("integer longer than 15 digits");
			}
			return Long.parseLong(text);
		}
		int integerDigits = dot - start - (text.startsWith("-") ? 1 : 0);
		int fractionDigits = pos - dot - 1;
		if (integerDigits > 12 || fractionDigits < 1 || fractionDigits > 3) {
			throw error("malformed decimal");
		}
		return new BigDecimal(text);
	}

	private String string() {
		expect('"');
		StringBuilder value = new StringBuilder();
		while (!atEnd()) {
			char c = input.charAt(pos++);
			if (c == '\\') {
				if (atEnd() || (peek() != '"' && peek() != '\\')) {
					throw error("bad escape");
				}
				value.append(input.charAt(pos++));
			}
			else if (c == '"') {
				return value.toString();
			}
			else if (c < 0x20 || c > 0x7e) {
				throw error("non-printable character in string");
			}
			else {
				value.append(c);
			}
		}
		throw error("unterminated string");
	}

	private Token token() {
		int start = pos;
		pos++;
		while (!atEnd() && isTchar(peek())) {
			pos++;
		}
		return new Token(input.substring(start, pos));
	}

	private byte[] byteSequence() {
		expect(':');
		int end = input.indexOf(':', pos);
		if (end < 0) {
			throw error("unterminated byte sequence");
		}
		String encoded = input.substring(pos, end);
		pos = end + 1;
		return Base64.getDecoder().decode(encoded);
	}

	private Boolean bool() {
		expect('?');
		if (atEnd() || (peek() != '0' && peek() != '1')) {
			throw error("a boolean is ?0 or ?1");
		}
		return input.charAt(pos++) == '1';
	}

	private void expect(char c) {
		if (atEnd() || peek() != c) {
			throw error("expected '" + c + "'");
		}
		pos++;
	}

	private void skipSp() {
		while (!atEnd() && peek() == ' ') {
			pos++;
		}
	}

	private void skipOws() {
		while (!atEnd() && (peek() == ' ' || peek() == '\t')) {
			pos++;
		}
	}

	private boolean atEnd() {
		return pos >= input.length();
	}

	private char peek() {
		return input.charAt(pos);
	}

	private IllegalArgumentException error(String reason) {
		return new IllegalArgumentException("Not a structured field list (" + reason + " at " + pos + "): " + input);
	}

	private static boolean isLcalpha(char c) {
		return c >= 'a' && c <= 'z';
	}

	private static boolean isAlpha(char c) {
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
	}

	private static boolean isDigit(char c) {
		return c >= '0' && c <= '9';
	}

	private static boolean isTchar(char c) {
		return isAlpha(c) || isDigit(c) || "!#$%&'*+-.^_`|~:/".indexOf(c) >= 0;
	}

}
