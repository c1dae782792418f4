package io.presence.signaling.app;

import io.presence.signaling.app.config.PublicHost;

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

        /**
         * The host part of a URL a person opens: the configured host, or the public host when the listener is on
         * every interface (0.0.0.0 is not an address a browser can open).
         */
        static String openableHost(String configuredHost, PublicHost publicHost) {
            String host = configuredHost.replace("[", "").replace("]", "");
            if (host.isEmpty() || host.equals("0.0.0.0") || host.equals("::")) {
                return publicHost.urlHost();
            }
            return host.contains(":") ? "[" + host + "]" : host;
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
