package io.presence.signaling.transport;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AttributeKey;
import io.presence.signaling.session.TrustedProxies;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * A connection's client address: the socket's peer, or, on a WebSocket that came through a trusted reverse proxy,
 * the address its forwarding headers name ({@link TrustedProxies}). Kept on the channel from the upgrade on, so
 * the sign-in throttle counts the client rather than the proxy. Raw TCP carries no headers: its peer is the client.
 */
final class ClientAddress {
    private static final AttributeKey<InetAddress> FORWARDED_FOR = AttributeKey.valueOf("presence.clientAddress");

    private ClientAddress() {
    }

    /** Reads the upgrade request's forwarding headers; headers from an untrusted peer are ignored. */
    static void remember(Channel channel, TrustedProxies proxies, HttpHeaders headers) {
        InetAddress peer = peer(channel);
        if (proxies.isEmpty() || headers == null || !proxies.isTrusted(peer)) {
            return;
        }
        InetAddress client = proxies.client(peer, headers.getAll("X-Forwarded-For"), headers.getAll("Forwarded"));
        if (client != null && !client.equals(peer)) {
            channel.attr(FORWARDED_FOR).set(client);
        }
    }

    static InetAddress of(Channel channel) {
        InetAddress forwarded = channel.attr(FORWARDED_FOR).get();
        return forwarded != null ? forwarded : peer(channel);
    }

    private static InetAddress peer(Channel channel) {
        return channel.remoteAddress() instanceof InetSocketAddress a ? a.getAddress() : null;
    }
}
