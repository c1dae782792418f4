package io.presence.turn.allocation;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;

import java.net.InetSocketAddress;

/**
 * The UDP socket of an allocation's relayed transport address (RFC 8656 §2.2), as the allocation uses it: it sends
 * from the relayed address, and hands what arrives there to the allocation it is attached to
 * ({@link Allocation#receiveFromPeer}). The transport package implements it on Netty datagram channels; tests fake it.
 *
 * <p>Owned by one allocation at a time ({@link RelaySocketPool} parks it between owners); every method runs on the
 * socket's event loop, which is its allocation's.
 */
public interface RelaySocket {
    /** The port it is bound to. */
    int port();

    /** Whether it is bound to an IPv6 address. */
    boolean ipv6();

    /** The event loop it runs on. */
    EventLoop eventLoop();

    /** Whether it is still open (a parked socket can be closed under the pool, by the shutdown of its loop). */
    boolean isOpen();

    /** Sends {@code payload} to {@code peer} from the relayed address. Takes ownership. Per relayed datagram. */
    void send(ByteBuf payload, InetSocketAddress peer);

    /** Points the datagrams arriving at the socket at {@code allocation}; null drops them (a parked socket). */
    void attach(Allocation allocation);

    /**
     * Closes what the socket opened for its current allocation (a socket connected to one peer, sharing the port).
     * The future completes once the port is held by this socket alone; null when there was nothing to close.
     */
    Future<?> releasePeerSockets();

    /** Closes the socket; the future completes once it is closed. */
    Future<?> close();
}
