package io.presence.signaling.client.internal;

import javax.net.ssl.SSLContext;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * Where and how {@link Connection} connects: the public options reduced to what the socket needs, so the internal
 * package depends on nothing of the public one.
 *
 * @param tcp            newline-framed TCP; otherwise WebSocket
 * @param tlsContext     null for plain text
 * @param verifyHostname check the server certificate's name against {@code address}'s host
 */
public record Endpoint(boolean tcp, InetSocketAddress address, String wsPath, String origin, boolean deflate,
                       Duration connectTimeout, SSLContext tlsContext, boolean verifyHostname) {
}
