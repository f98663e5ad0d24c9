package com.example.service.lifecycle;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;

/**
 * One HTTP/1.1 connection over a plain socket, so a test controls exactly when it is
 * opened, kept idle and reused, and sees the {@code Connection} header and the server
 * closing it. Enough HTTP for these tests: fixed-length, chunked and close-delimited
 * bodies.
 */
final class HttpConnection implements AutoCloseable {

	private final Socket socket;

	private final InputStream in;

	private final OutputStream out;

	private HttpConnection(Socket socket) throws IOException {
		this.socket = socket;
		this.in = socket.getInputStream();
		this.out = socket.getOutputStream();
	}

	static HttpConnection open(int port) throws IOException {
		Socket socket = new Socket();
		socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
		socket.setSoTimeout(15_000);
		return new HttpConnection(socket);
	}

	/**
	 * A single request on a fresh connection.
	 * @param headers extra request headers, each {@code "Name: value"}
	 */
	static Response exchange(int port, String method, String path, String... headers) throws IOException {
		try (HttpConnection connection = open(port)) {
			return connection.send(method, path, null, headers);
		}
	}

	Response send(String method, String path, @Nullable String jsonBody, String... headers) throws IOException {
		byte[] body = (jsonBody != null) ? jsonBody.getBytes(StandardCharsets.UTF_8) : new byte[0];
		StringBuilder head = new StringBuilder().append(method)
			.append(' ')
			.append(path)
			.append(" HTTP/1.1\r\nHost: localhost\r\n");
		if (jsonBody != null) {
			head.append("Content-Type: application/json\r\n");
		}
		for (String header : headers) {
			head.append(header).append("\r\n");
		}
		head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
		out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
		out.write(body);
		out.flush();
		return read();
	}

	/**
	 * Whether the server has closed its side: a read sees the end of the stream.
	 */
	boolean closedByServer() throws IOException {
		int previous = socket.getSoTimeout();
		socket.setSoTimeout(2000);
		try {
			return in.read() == -1;
		}
		catch (SocketTimeoutException ex) {
			return false;
		}
		catch (IOException ex) {
			return true;
		}
		finally {
			socket.setSoTimeout(previous);
		}
	}

	private Response read() throws IOException {
		String statusLine = line();
		int status = Integer.parseInt(statusLine.split(" ")[1]);
		Map<String, String> headers = new TreeMap<>();
		for (String header = line(); !header.isEmpty(); header = line()) {
			int colon = header.indexOf(':');
			headers.put(header.substring(0, colon).trim().toLowerCase(Locale.ROOT), header.substring(colon + 1).trim());
		}
		String body;
		if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
			body = chunked();
		}
		else if (headers.containsKey("content-length")) {
			body = new String(in.readNBytes(Integer.parseInt(headers.get("content-length"))), StandardCharsets.UTF_8);
		}
		else {
			// No length: the body ends where the server closes the connection.
			body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		return new Response(status, headers, body);
	}

	private String chunked() throws IOException {
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		for (int size = Integer.parseInt(line().trim(), 16); size > 0; size = Integer.parseInt(line().trim(), 16)) {
			body.write(in.readNBytes(size));
			line();
		}
		line();
		return body.toString(StandardCharsets.UTF_8);
	}

	private String line() throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		for (int b = in.read(); b != '\n'; b = in.read()) {
			if (b == -1) {
				throw new IOException("Connection closed by the server");
			}
			if (b != '\r') {
				line.write(b);
			}
		}
		return line.toString(StandardCharsets.US_ASCII);
	}

	@Override
	public void close() throws IOException {
		socket.close();
	}

	/**
	 * A response; header names in lower case.
	 */
	record Response(int status, Map<String, String> headers, String body) {

		@Nullable String header(String name) {
			return headers.get(name.toLowerCase(Locale.ROOT));
		}

	}

}
