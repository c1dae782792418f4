package io.presence.stun.server;

import io.netty.buffer.ByteBuf;
import io.presence.stun.StunMessage;

/**
 * What the TURN relay plugs into the STUN port: everything except Binding, which the server answers
 * itself. Methods run on the peer's event loop and must not block.
 *
 * <p>Buffer contract for the two hot-path methods: returning {@code true} means the extension took
 * ownership of {@code frame} (and must release it); returning {@code false} leaves it with the server, which
 * counts it as unhandled and releases it. The frame's readable bytes are exactly one message: a Send
 * indication undecoded (parse it with {@code TurnIndication}), or a ChannelData frame without stream
 * padding (parse it with {@code ChannelData.parse}). Methods should not throw: an exception is logged, the
 * socket stays open, and a frame handed to a hot-path method counts as the extension's.
 *
 * <p>The default implementation handles nothing: unhandled requests are answered with 400 Bad Request
 * (a decision: an error response lets a misdirected client fail at once instead of retransmitting for
 * 39.5 s, and at 28 bytes — no reason phrase — it is at most 1.4× the request), everything else is
 * counted and dropped.
 */
public interface StunExtension {
    StunExtension NONE = new StunExtension() {
    };

    /** A decoded STUN message other than a Binding request or indication; true when handled. */
    default boolean onMessage(StunPeer peer, StunMessage message) {
        return false;
    }

    /** A Send indication, not decoded. */
    default boolean onSendIndication(StunPeer peer, ByteBuf frame) {
        return false;
    }

    /** A ChannelData frame, not validated. */
    default boolean onChannelData(StunPeer peer, ByteBuf frame) {
        return false;
    }

    /** A TCP or TLS connection closed; its peer will send no more. */
    default void onConnectionClosed(StunPeer peer) {
    }
}
