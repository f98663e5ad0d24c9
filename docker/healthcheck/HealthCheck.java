import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * Container health check without curl or a shell: {@code java -cp /app/healthcheck
 * HealthCheck [url]} exits 0 when a GET of the URL (default
 * {@code http://127.0.0.1:8080/readyz}) answers 200, and 1 otherwise. A raw socket, not
 * java.net.http, because it loads a fraction of the classes: the check runs every few
 * seconds in a fresh JVM.
 */
public final class HealthCheck {

	private static final int CONNECT_TIMEOUT_MILLIS = 2000;

	private static final int READ_TIMEOUT_MILLIS = 3000;

	private HealthCheck() {
	}

	public static void main(String[] args) {
		String target = (args.length > 0) ? args[0] : "http://127.0.0.1:8080/readyz";
		try {
			String status = statusLine(URI.create(target));
			System.out.println(target + " -> " + status);
			System.exit(isOk(status) ? 0 : 1);
		}
		catch (Exception ex) {
			System.out.println(target + " -> " + ex);
			System.exit(1);
		}
	}

	private static String statusLine(URI uri) throws Exception {
		if (!"http".equals(uri.getScheme()) || uri.getHost() == null) {
			throw new IllegalArgumentException("expected an http://host:port/path URL");
		}
		int port = (uri.getPort() != -1) ? uri.getPort() : 80;
		String path = (uri.getRawPath() == null || uri.getRawPath().isEmpty()) ? "/" : uri.getRawPath();
		if (uri.getRawQuery() != null) {
			path = path + "?" + uri.getRawQuery();
		}
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(uri.getHost(), port), CONNECT_TIMEOUT_MILLIS);
			socket.setSoTimeout(READ_TIMEOUT_MILLIS);
			OutputStream out = socket.getOutputStream();
			String request = "GET " + path + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + port
					+ "\r\nUser-Agent: container-healthcheck\r\nAccept: */*\r\nConnection: close\r\n\r\n";
			out.write(request.getBytes(StandardCharsets.US_ASCII));
			out.flush();
			BufferedReader in = new BufferedReader(
					new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
			String line = in.readLine();
			return (line != null) ? line : "no response";
		}
	}

	private static boolean isOk(String statusLine) {
		String[] parts = statusLine.split(" ", 3);
		return parts.length >= 2 && parts[0].startsWith("HTTP/") && "200".equals(parts[1]);
	}

}
