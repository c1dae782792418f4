package io.presence.net;

import io.netty.bootstrap.AbstractBootstrap;
import io.netty.channel.Channel;

import java.net.BindException;
import java.net.InetSocketAddress;

/**
 * A listener could not bind its address. Names the listener (e.g. {@code "ws"}, {@code "tcp"}), so that the
 * composition root can say which configuration key chose the port; {@link #inUse()} tells a port another process
 * holds from other failures (an address this host does not have, a privileged port).
 */
public final class ListenerBindException extends IllegalStateException {

    private final String listener;
    private final String host;
    private final int port;
    private final boolean inUse;

    public ListenerBindException(String listener, String host, int port, Throwable cause) {
        super(describe(listener, host, port, cause), cause);
        this.listener = listener;
        this.host = host;
        this.port = port;
        this.inUse = inUse(cause);
    }

    /**
     * {@code bootstrap.bind(host, port)}, waited for; a failure becomes this exception naming {@code listener}.
     */
    public static Channel bind(String listener, AbstractBootstrap<?, ?> bootstrap, String host, int port) {
        try {
            return bootstrap.bind(host, port).syncUninterruptibly().channel();
        } catch (Exception e) { // Netty rethrows the bind's IOException from sync() without declaring it
            throw new ListenerBindException(listener, host, port, e);
        }
    }

    /** Like {@link #bind(String, AbstractBootstrap, String, int)} for a resolved address. */
    public static Channel bind(String listener, AbstractBootstrap<?, ?> bootstrap, InetSocketAddress address) {
        try {
            return bootstrap.bind(address).syncUninterruptibly().channel();
        } catch (Exception e) {
            throw new ListenerBindException(listener, address.getHostString(), address.getPort(), e);
        }
    }

    public String listener() {
        return listener;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    /** Another socket holds the port (EADDRINUSE), as opposed to an address or permission problem. */
    public boolean inUse() {
        return inUse;
    }

    /** The operating system's reason, e.g. "Address already in use" or "Cannot assign requested address". */
    public String reason() {
        Throwable c = getCause();
        String m = c == null ? null : c.getMessage();
        if (m == null) {
            return c == null ? "unknown" : c.getClass().getSimpleName();
        }
        // The epoll transport prefixes the system call: "bind(..) failed: Address already in use".
        int colon = m.indexOf("failed: ");
        return colon >= 0 ? m.substring(colon + "failed: ".length()) : m;
    }

    private static boolean inUse(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage());
            // NIO throws BindException for every bind failure; epoll a NativeIoException with the errno's text.
            if (m.contains("Address already in use") || (t instanceof BindException && m.contains("in use"))) {
                return true;
            }
        }
        return false;
    }

    private static String describe(String listener, String host, int port, Throwable cause) {
        return "cannot bind the " + listener + " listener to " + (host.contains(":") ? "[" + host + "]" : host)
                + ":" + port + ": " + (cause == null ? "unknown" : cause.getMessage());
    }
}
