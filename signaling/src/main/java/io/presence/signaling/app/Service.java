package io.presence.signaling.app;

import java.util.List;

/**
 * One part of the appliance under the lifecycle's control: started in order, stopped in reverse.
 * Implementations adapt a module's server (STUN/TURN, signaling) to the appliance's start and drain.
 */
interface Service {

    /** A bound listener, printed at start: {@code what} (e.g. "signaling ws") and its address or URL. */
    record Listener(String what, String address) {

        /**
         * {@code host:port} with the configured host (so 0.0.0.0 stays 0.0.0.0 rather than the dual-stack
         * "::" the socket reports) and the port actually bound (the kernel's choice when configured as 0).
         */
        static String hostPort(String configuredHost, java.net.InetSocketAddress bound) {
            return (configuredHost.contains(":") ? "[" + configuredHost + "]" : configuredHost) + ":" + bound.getPort();
        }
    }

    String name();

    /** Binds and starts; returns the listeners it opened. Throws when it cannot start. */
    List<Listener> start() throws Exception;

    /** Stops accepting new connections or allocations; existing ones keep working. */
    void stopAccepting();

    /** Connections or allocations still active, for the drain. */
    int active();

    /** Closes everything it holds, including connections still open. Idempotent. */
    void close();
}
