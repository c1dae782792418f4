package io.presence.signaling.jdbc;

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
 * A TCP forwarder on loopback between a client (the pool) and a server (the database), to take the database away
 * and bring it back: {@link #stop()} closes every forwarded connection and stops listening, so connects are
 * refused; {@link #start()} listens again on the same port. A test helper; two threads per connection.
 */
public final class TcpProxy implements AutoCloseable {
    private final InetSocketAddress target;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private volatile ServerSocket listener;
    private int port;

    public TcpProxy(InetSocketAddress target) {
        this.target = target;
    }

    /** Listens (on the port of the previous start, if any) and forwards each connection to the target. */
    public synchronized TcpProxy start() throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        port = s.getLocalPort();
        listener = s;
        Thread accept = new Thread(() -> accept(s), "proxy-accept-" + port);
        accept.setDaemon(true);
        accept.start();
        return this;
    }

    public synchronized int port() {
        return port;
    }

    /** "127.0.0.1:port", for a JDBC URL. */
    public String hostPort() {
        return "127.0.0.1:" + port();
    }

    /** Closes every forwarded connection and stops listening: the database is away. */
    public synchronized void stop() throws IOException {
        ServerSocket s = listener;
        listener = null;
        if (s != null) {
            s.close();
        }
        for (Socket socket : sockets) {
            socket.close();
        }
        sockets.clear();
    }

    private void accept(ServerSocket s) {
        while (!s.isClosed()) {
            Socket client;
            try {
                client = s.accept();
            } catch (IOException closed) {
                return;
            }
            Socket server = new Socket();
            try {
                server.connect(target, 5_000);
            } catch (IOException e) {
                close(client);
                continue;
            }
            sockets.add(client);
            sockets.add(server);
            if (listener != s) {
                // stop() ran between accept and here: this connection must not outlive it.
                close(client);
                close(server);
                continue;
            }
            pump(client, server);
            pump(server, client);
        }
    }

    private void pump(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException ended) {
                // one side closed: close both below
            } finally {
                close(from);
                close(to);
            }
        }, "proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private void close(Socket socket) {
        sockets.remove(socket);
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        stop();
    }
}
