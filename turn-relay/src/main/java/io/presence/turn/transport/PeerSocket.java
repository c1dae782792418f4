package io.presence.turn.transport;

import io.netty.channel.Channel;
import io.netty.util.concurrent.Future;

import java.net.InetSocketAddress;

/**
 * A socket of an allocation's relay address connected to one of its peers ({@link PeerSockets}): the relay sends
 * that peer's datagrams through it, and reads the peer's datagrams from it. Closed with its allocation.
 */
public final class PeerSocket {
    private final Channel channel;
    private final InetSocketAddress peer;
    private final PeerSockets owner;

    PeerSocket(Channel channel, InetSocketAddress peer, PeerSockets owner) {
        this.channel = channel;
        this.peer = peer;
        this.owner = owner;
    }

    public Channel channel() {
        return channel;
    }

    /** The peer it is connected to. */
    public InetSocketAddress peer() {
        return peer;
    }

    /** Closes the socket (in a task of its own on its loop); the future completes once it is closed. On the loop. */
    public Future<Void> close() {
        return owner.closed(this);
    }
}
