package io.presence.signaling.app;

import io.presence.net.ListenerBindException;
import io.presence.signaling.app.config.ConfigKey;

import java.util.Map;

import static io.presence.signaling.app.config.ConfigSchema.METRICS_HOST;
import static io.presence.signaling.app.config.ConfigSchema.METRICS_PORT;
import static io.presence.signaling.app.config.ConfigSchema.SIGNALING_HOST;
import static io.presence.signaling.app.config.ConfigSchema.SIGNALING_TCP_PORT;
import static io.presence.signaling.app.config.ConfigSchema.SIGNALING_WSS_PORT;
import static io.presence.signaling.app.config.ConfigSchema.SIGNALING_WS_PORT;
import static io.presence.signaling.app.config.ConfigSchema.STUN_ALTERNATE;
import static io.presence.signaling.app.config.ConfigSchema.STUN_HOST;
import static io.presence.signaling.app.config.ConfigSchema.STUN_PORT;
import static io.presence.signaling.app.config.ConfigSchema.STUN_TLS_PORT;

/**
 * A listener of the appliance could not open, told in the configuration's words: the port and the key that set it
 * ("port 8080 (signaling.wsPort) is already in use"), so the operator knows what to change.
 */
final class ListenerUnavailableException extends Exception {

    /** Where a listener's address comes from: its host key and its port key. */
    private record Keys(ConfigKey<?> host, ConfigKey<?> port) { }

    /** By service name ({@link Service#name()}, "admin" for the admin listener) and listener name. */
    private static final Map<String, Keys> KEYS = Map.of(
            "admin/admin", new Keys(METRICS_HOST, METRICS_PORT),
            "stun/turn/udp", new Keys(STUN_HOST, STUN_PORT),
            "stun/turn/tcp", new Keys(STUN_HOST, STUN_PORT),
            "stun/turn/tls", new Keys(STUN_HOST, STUN_TLS_PORT),
            "stun/turn/alternate", new Keys(STUN_ALTERNATE, STUN_ALTERNATE),
            "signaling/ws", new Keys(SIGNALING_HOST, SIGNALING_WS_PORT),
            "signaling/wss", new Keys(SIGNALING_HOST, SIGNALING_WSS_PORT),
            "signaling/tcp", new Keys(SIGNALING_HOST, SIGNALING_TCP_PORT));

    private final String portKey;

    private ListenerUnavailableException(String message, String portKey, ListenerBindException cause) {
        super(message, cause);
        this.portKey = portKey;
    }

    /** The failure of {@code service}'s listener, or the failure itself when no key is known for it. */
    static Exception of(String service, ListenerBindException e) {
        Keys keys = KEYS.get(service + "/" + e.listener());
        if (keys == null) {
            return e;
        }
        String port = keys.port().path();
        if (e.inUse()) {
            return new ListenerUnavailableException("port " + e.port() + " (" + port + ") is already in use",
                    port, e);
        }
        String host = e.host().contains(":") ? "[" + e.host() + "]" : e.host();
        String from = keys.host() == keys.port() ? port : keys.host().path() + ", " + port;
        return new ListenerUnavailableException("cannot listen on " + host + ":" + e.port() + " (" + from + "): "
                + e.reason(), port, e);
    }

    /** The key that chose the port, e.g. "signaling.wsPort". */
    String portKey() {
        return portKey;
    }
}
