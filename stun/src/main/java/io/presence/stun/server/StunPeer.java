package io.presence.stun.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import io.presence.stun.codec.ChannelData;

import java.net.InetSocketAddress;

/**
 * The far end of one exchange on the STUN port: the 5-tuple (transport, remote, local) and a way to answer
 * on the same socket. For UDP a peer exists per datagram; for TCP/TLS one per connection, so it can key
 * state that lives as long as the connection (RFC 8656 TCP allocations).
 *
 * <p>Immutable; {@link #send} may be called from any thread. A peer may be kept after the call that
 * delivered it (an allocation keeps its client's peer to send Data indications and ChannelData later);
 * for TCP/TLS it stops sending once the connection is closed.
 */
public interface StunPeer {
    StunTransport transport();

    InetSocketAddress remoteAddress();

    InetSocketAddress localAddress();

    /** The event loop the peer's socket runs on; state touched only from here needs no locks. */
    EventLoop eventLoop();

    ByteBufAllocator alloc();

    /** Sends a STUN message or ChannelData frame (already padded for stream transports). Takes ownership. */
    void send(ByteBuf message);

    /**
     * Whether {@link #sendFor} can reach {@code sibling}: both UDP on the same local address. The sockets of one
     * SO_REUSEPORT group share that address, so a datagram to the sibling leaves this peer's socket with exactly
     * the source address the sibling's own socket would give it.
     */
    default boolean canSendFor(StunPeer sibling) {
        return false;
    }

    /**
     * Sends {@code message} to {@code sibling}'s remote address through this peer's own socket — the same
     * datagram as {@code sibling.send(message)}, without handing it to the sibling socket's event loop. Only
     * when {@link #canSendFor} is true; call on this peer's event loop. Takes ownership.
     */
    default void sendFor(StunPeer sibling, ByteBuf message) {
        throw new UnsupportedOperationException(transport().label() + " peers cannot send for others");
    }

    /**
     * Sends ChannelData (RFC 8656 §12.4) on channel {@code number} carrying {@code payload} to {@code target}: this
     * peer, or a sibling for which {@link #canSendFor} is true. The channel number is not checked (the relay also
     * accepts RFC 5766 numbers). This default frames it in one new buffer, padded to 4 bytes on stream transports,
     * and sends that; a UDP peer sends the header and the payload from where they are. Takes ownership of
     * {@code payload}; call on this peer's event loop.
     */
    default void sendChannelData(StunPeer target, int number, ByteBuf payload) {
        int length = payload.readableBytes();
        int padding = ChannelData.padding(length, transport().isStream());
        ByteBuf out = alloc().directBuffer(ChannelData.HEADER_LENGTH + length + padding);
        try {
            out.writeInt(ChannelData.header(number, length)).writeBytes(payload, payload.readerIndex(), length)
                    .writeZero(padding);
        } finally {
            payload.release();
        }
        if (target == this) {
            send(out);
        } else {
            sendFor(target, out);
        }
    }

    /**
     * A socket of the STUN port of its own for this client ({@link ConnectedPeer}), or null when there is none to
     * have: not a UDP client, not a socket {@link ClientSockets} serves, or the limit reached. The same client to
     * everything above the STUN port, from then on reached through that socket. The caller owns it and closes it.
     * On this peer's event loop.
     */
    default ConnectedPeer connect() {
        return null;
    }
}
