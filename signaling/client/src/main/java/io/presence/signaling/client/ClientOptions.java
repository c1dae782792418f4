package io.presence.signaling.client;

import io.presence.signaling.client.internal.Endpoint;

import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Where and how a session connects: one endpoint of the server. An immutable value; the {@code with…} methods
 * return changed copies. {@link ClientSession#resume(ClientOptions)} takes another one to move a session to
 * another transport or address.
 *
 * @param transport      WebSocket or raw TCP (one JSON message per line)
 * @param address        the address of that transport's listener
 * @param wsPath         WebSocket path (ignored for TCP)
 * @param origin         Origin header for WebSocket, or null to send none (as native clients do)
 * @param deflate        offer permessage-deflate (WebSocket)
 * @param connectTimeout for the TCP connect plus the WebSocket handshake
 * @param tls            TLS, or null for plain text
 */
public record ClientOptions(Transport transport, InetSocketAddress address, String wsPath, String origin,
                            boolean deflate, Duration connectTimeout, ClientTls tls) {

    public enum Transport { WS, TCP }

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final String DEFAULT_WS_PATH = "/ws";

    public ClientOptions {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(wsPath, "wsPath");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        if (!wsPath.startsWith("/")) {
            throw new IllegalArgumentException("wsPath must start with '/', got " + wsPath);
        }
        if (connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("connectTimeout must be positive, got " + connectTimeout);
        }
    }

    public static ClientOptions tcp(InetSocketAddress address) {
        return new ClientOptions(Transport.TCP, address, DEFAULT_WS_PATH, null, false, DEFAULT_CONNECT_TIMEOUT, null);
    }

    public static ClientOptions ws(InetSocketAddress address) {
        return new ClientOptions(Transport.WS, address, DEFAULT_WS_PATH, null, false, DEFAULT_CONNECT_TIMEOUT, null);
    }

    /**
     * A {@code ws://} or {@code wss://} URI; {@code wss://} uses {@link ClientTls#system()}. The port defaults to
     * 80 or 443, the path to {@value #DEFAULT_WS_PATH}.
     */
    public static ClientOptions webSocket(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        boolean secure = switch (scheme) {
            case "ws" -> false;
            case "wss" -> true;
            default -> throw new IllegalArgumentException("uri must be ws:// or wss://, got " + uri);
        };
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("uri has no host: " + uri);
        }
        int port = uri.getPort() != -1 ? uri.getPort() : secure ? 443 : 80;
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? DEFAULT_WS_PATH : uri.getRawPath();
        return new ClientOptions(Transport.WS, InetSocketAddress.createUnresolved(uri.getHost(), port), path, null,
                false, DEFAULT_CONNECT_TIMEOUT, secure ? ClientTls.system() : null);
    }

    public ClientOptions withTransport(Transport t, InetSocketAddress a) {
        return new ClientOptions(t, a, wsPath, origin, deflate, connectTimeout, tls);
    }

    public ClientOptions withWsPath(String p) {
        return new ClientOptions(transport, address, p, origin, deflate, connectTimeout, tls);
    }

    public ClientOptions withOrigin(String o) {
        return new ClientOptions(transport, address, wsPath, o, deflate, connectTimeout, tls);
    }

    public ClientOptions withDeflate(boolean d) {
        return new ClientOptions(transport, address, wsPath, origin, d, connectTimeout, tls);
    }

    public ClientOptions withConnectTimeout(Duration t) {
        return new ClientOptions(transport, address, wsPath, origin, deflate, t, tls);
    }

    public ClientOptions withTls(ClientTls t) {
        return new ClientOptions(transport, address, wsPath, origin, deflate, connectTimeout, t);
    }

    /** These options as the internal connection reads them. */
    Endpoint endpoint() {
        return new Endpoint(transport == Transport.TCP, address, wsPath, origin, deflate, connectTimeout,
                tls == null ? null : tls.context(), tls != null && tls.verifyHostname());
    }
}
