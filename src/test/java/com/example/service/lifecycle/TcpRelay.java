package com.example.service.lifecycle;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP relay between the application and its database that a test can cut and restore: a
 * database outage without stopping a shared server or pausing a container. While cut,
 * open connections are closed and new ones are accepted and closed at once, as a database
 * that went away would do.
 */
final class TcpRelay implements AutoCloseable {

	private final ServerSocket server;

	private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

	private final InetSocketAddress target;

	private volatile boolean cut;

	TcpRelay(String host, int port) throws IOException {
		this.target = new InetSocketAddress(host, port);
		this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		Thread.ofVirtual().name("relay-accept").start(this::accept);
	}

	int port() {
		return server.getLocalPort();
	}

	/** The database goes away: every connection drops, new ones fail. */
	void cut() {
		cut = true;
		sockets.forEach(TcpRelay::closeQuietly);
		sockets.clear();
	}

	/** The database is back. */
	void restore() {
		cut = false;
	}

	private void accept() {
		while (!server.isClosed()) {
			try {
				Socket client = server.accept();
				if (cut) {
					closeQuietly(client);
					continue;
				}
				Socket upstream = new Socket(target.getAddress(), target.getPort());
				sockets.add(client);
				sockets.add(upstream);
				pump(client, upstream);
				pump(upstream, client);
			}
			catch (IOException ex) {
				// closed or target unreachable: the client sees a dropped connection
			}
		}
	}

	private void pump(Socket from, Socket to) {
		Thread.ofVirtual().start(() -> {
			try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
				in.transferTo(out);
			}
			catch (IOException ex) {
				// one side closed
			}
			finally {
				closeQuietly(from);
				closeQuietly(to);
				sockets.remove(from);
				sockets.remove(to);
			}
		});
	}

	private static void closeQuietly(Socket socket) {
		try {
			socket.close();
		}
		catch (IOException ex) {
			// already closed
		}
	}

	@Override
	public void close() throws IOException {
		server.close();
		cut();
	}

}
