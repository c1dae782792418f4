package io.presence.turn.allocation;

import io.presence.stun.server.StunTransport;

import java.net.InetSocketAddress;

/**
 * What identifies an allocation (RFC 8656 §2.2): client transport, client address and server address. The
 * protocol is always UDP on the relay side in this server, so it is not part of the key.
 */
public record FiveTuple(StunTransport transport, InetSocketAddress client, InetSocketAddress server) {
}
