package io.presence.stun.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.presence.net.DirectDatagrams;
import io.presence.stun.codec.ChannelData;

import java.net.InetSocketAddress;

/**
 * A UDP client with a socket of the STUN port of its own: connected to the client, bound to the address the client
 * talks to, registered on the event loop of the shared socket the client came through. The kernel delivers the
 * client's datagrams here instead of to the shared socket, read without a sender address, and datagrams to the
 * client leave with {@code write} over the socket's cached route. Made by {@link ClientSockets}; the 5-tuple is the
 * one of the shared socket's peer, so to everything above the STUN port it is the same client.
 *
 * <p>{@link #close()} once the client's state (its allocation) is gone; idempotent. Sends from any thread; when the
 * socket has been closed under the peer they go out through the shared socket, unchanged on the wire.
 */
public final class ConnectedPeer implements StunPeer {
    private final Channel channel;
    private final StunPeer shared;
    private final ClientSockets sockets;
    private boolean closed; // on the loop
    private PeerOwner owner; // on the loop

    ConnectedPeer(Channel channel, StunPeer shared, ClientSockets sockets) {
        this.channel = channel;
        this.shared = shared;
        this.sockets = sockets;
    }

    @Override
    public StunTransport transport() {
        return StunTransport.UDP;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return shared.remoteAddress();
    }

    @Override
    public InetSocketAddress localAddress() {
        return shared.localAddress();
    }

    @Override
    public EventLoop eventLoop() {
        return channel.eventLoop();
    }

    @Override
    public ByteBufAllocator alloc() {
        return channel.alloc();
    }

    @Override
    public void send(ByteBuf message) {
        if (channel.isActive()) {
            DirectDatagrams.write(channel, message);
        } else {
            shared.send(message);
        }
    }

    @Override
    public boolean canSendFor(StunPeer sibling) {
        return shared.canSendFor(sibling);
    }

    @Override
    public void sendFor(StunPeer sibling, ByteBuf message) {
        shared.sendFor(sibling, message);
    }

    @Override
    public void sendChannelData(StunPeer target, int number, ByteBuf payload) {
        if (target == this && channel.isActive()) {
            DirectDatagrams.writePrefixed(channel, ChannelData.header(number, payload.readableBytes()), payload);
        } else {
            shared.sendChannelData(target, number, payload);
        }
    }

    /**
     * Makes {@code owner} the receiver of the client's ChannelData and Send indications on this socket ({@link
     * PeerOwner}). On the loop.
     */
    public void attach(PeerOwner owner) {
        this.owner = owner;
    }

    /** What {@link #attach} tied to this peer, or null (the extension then gets every frame). On the loop. */
    PeerOwner owner() {
        return owner;
    }

    /** The socket ({@link ClientSockets} closes it). */
    Channel channel() {
        return channel;
    }

    /** Closes the socket; later sends go through the shared socket. Any thread; idempotent. */
    public void close() {
        if (!channel.eventLoop().inEventLoop()) {
            channel.eventLoop().execute(this::close);
            return;
        }
        if (!closed) {
            closed = true;
            sockets.closed(this);
        }
    }

    @Override
    public String toString() {
        return "ConnectedPeer[" + remoteAddress() + " -> " + localAddress() + "]";
    }
}
