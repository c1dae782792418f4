package io.presence.stun.server;

import io.netty.buffer.ByteBuf;

/**
 * What owns a client's socket of its own ({@link ConnectedPeer#attach}): the state the client's relayed data is for
 * (the TURN relay's allocation). The client's ChannelData and Send indications on that socket go straight to it,
 * without a lookup by 5-tuple; everything else the client sends there goes to the {@link StunExtension} as from any
 * peer.
 *
 * <p>The contract of the extension's hot-path methods: called on the peer's event loop, the frame's readable bytes are
 * one message, and returning {@code true} means the owner took {@code frame} (and releases it).
 */
public interface PeerOwner {
    /** A ChannelData frame from the client, not validated. */
    boolean onChannelData(ByteBuf frame);

    /** A Send indication from the client, not decoded. */
    boolean onSendIndication(ByteBuf frame);
}
