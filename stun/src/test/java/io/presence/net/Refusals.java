package io.presence.net;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Collection;

/**
 * How a test tells a connection a listener refused (reset at once by its {@link ConnectionGate}, or closed by a
 * deadline) from one it keeps open. Shared by the flood tests of every module with a TCP listener.
 */
public final class Refusals {

    private Refusals() {
    }

    /**
     * Opens a connection to {@code to} (from {@code from}, or any local address when null) and says whether the
     * server reset or closed it while connecting or within {@code wait}, without sending anything first. The socket
     * goes into {@code opened} so the test closes it.
     */
    public static boolean refusedAtOnce(InetSocketAddress to, String from, Duration wait, Collection<Socket> opened)
            throws IOException {
        Socket s = new Socket();
        opened.add(s);
        if (from != null) {
            s.bind(new InetSocketAddress(from, 0));
        }
        try {
            s.connect(to, (int) wait.toMillis());
        } catch (SocketException reset) {
            return true;
        }
        s.setSoTimeout((int) wait.toMillis());
        return closedByServer(s);
    }

    /**
     * Reads (and ignores) whatever the server sends until it closes or resets the connection (true), or the
     * socket's read timeout passes with the connection still open (false).
     */
    public static boolean closedByServer(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        try {
            while (in.read() != -1) {
                // what the server says before closing does not matter
            }
            return true;
        } catch (SocketException reset) {
            return true;
        } catch (SocketTimeoutException open) {
            return false;
        }
    }
}
