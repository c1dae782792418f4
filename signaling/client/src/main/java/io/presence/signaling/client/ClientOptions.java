package io.presence.signaling.client;

import io.netty.handler.ssl.SslContext;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link SignalingClient} reaches the server.
 *
 * @param transport      WebSocket or raw TCP
 * @param address        server address of that transport's listener
 * @param wsPath         WebSocket path (ignored for TCP)
 * @param origin         Origin header for WebSocket, or null to send none (as native clients do)
 * @param deflate        offer permessage-deflate (WebSocket)
 * @param autoPong       answer server pings (tests turn this off to play a half-open peer)
 * @param connectTimeout connect plus WebSocket handshake
 * @param tls            client TLS context ({@code wss://} / TLS over TCP), or null for plain text
 */
public record ClientOptions(Transport transport, InetSocketAddress address, String wsPath, String origin,
                            boolean deflate, boolean autoPong, Duration connectTimeout, SslContext tls) {

    public enum Transport { WS, TCP }

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);

    public ClientOptions {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(wsPath, "wsPath");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
    }

    public static ClientOptions tcp(InetSocketAddress address) {
        return new ClientOptions(Transport.TCP, address, "/ws", null, false, true, DEFAULT_CONNECT_TIMEOUT, null);
    }

    public static ClientOptions ws(InetSocketAddress address) {
        return new ClientOptions(Transport.WS, address, "/ws", null, false, true, DEFAULT_CONNECT_TIMEOUT, null);
    }

    public ClientOptions withTransport(Transport t, InetSocketAddress a) {
        return new ClientOptions(t, a, wsPath, origin, deflate, autoPong, connectTimeout, tls);
    }

    public ClientOptions withOrigin(String o) {
        return new ClientOptions(transport, address, wsPath, o, deflate, autoPong, connectTimeout, tls);
    }

    public ClientOptions withDeflate(boolean d) {
        return new ClientOptions(transport, address, wsPath, origin, d, autoPong, connectTimeout, tls);
    }

    public ClientOptions withTls(SslContext context) {
        return new ClientOptions(transport, address, wsPath, origin, deflate, autoPong, connectTimeout, context);
    }

    public ClientOptions withAutoPong(boolean p) {
        return new ClientOptions(transport, address, wsPath, origin, deflate, p, connectTimeout, tls);
    }
}
