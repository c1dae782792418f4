package io.presence.turn.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.presence.net.NetStack;
import io.presence.stun.server.ReceiveLimits;
import io.presence.turn.allocation.Allocation;
import io.presence.turn.allocation.RelaySocket;
import io.presence.turn.allocation.RelaySocketPool;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Relay sockets ({@link RelaySocketPool}): one UDP socket per allocation, registered on the allocation's event loop so
 * both directions of its traffic run on one thread. The pipeline is a single handler, the socket itself
 * ({@link UdpRelaySocket}), which hands each datagram to {@link Allocation#receiveFromPeer}. Datagrams are read as on
 * every UDP socket of the appliance ({@link ReceiveLimits}).
 *
 * <p>Warm pool: creating, binding, registering and closing a socket is most of what an allocation costs
 * (socket, bind, epoll_ctl twice, close, and Netty's channel objects — measured ≈100 µs per cycle). A deleted
 * allocation's socket is therefore parked, detached (datagrams arriving meanwhile are dropped), and handed to a
 * later allocation once it has been parked for {@link #QUARANTINE_NANOS}, so that in-flight datagrams of the
 * old allocation's peers have drained. When the port range is exhausted, a parked socket is taken at once. At
 * most {@link #MAX_PARKED} sockets are parked per event loop and family; the pool is emptied on close.
 *
 * <p>Thread-safe (the pool is guarded by this object; it is touched once per allocation, never per packet).
 */
public final class RelaySockets implements RelaySocketPool {
    /** Parked sockets per event loop and family. */
    public static final int MAX_PARKED = 1024;
    /** How long a parked socket stays detached before another allocation may take it. */
    public static final long QUARANTINE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    /**
     * Receive buffer of a relay socket: a video burst from a peer must not overflow the kernel's default
     * (≈208 KB) while the event loop is busy. A cap, not an allocation: the kernel only uses what is queued.
     */
    public static final int RECEIVE_BUFFER_BYTES = 1 << 20;

    private record Parked(RelaySocket socket, long since) {
    }

    private final NetStack net;
    private final PeerSockets peerSockets;
    private final Map<EventLoop, ArrayDeque<Parked>> v4 = new HashMap<>();
    private final Map<EventLoop, ArrayDeque<Parked>> v6 = new HashMap<>();
    private boolean closed;

    /** @param peerSockets where relay sockets open their peer sockets */
    public RelaySockets(NetStack net, PeerSockets peerSockets) {
        this.net = net;
        this.peerSockets = peerSockets;
    }

    @Override
    public Future<RelaySocket> bind(EventLoop loop, InetSocketAddress address, Allocation allocation) {
        UdpRelaySocket socket = new UdpRelaySocket(peerSockets, allocation);
        ChannelFuture f = new Bootstrap().group(loop).channelFactory(net.datagramChannel(address.getAddress()))
                .option(ChannelOption.SO_RCVBUF, RECEIVE_BUFFER_BYTES)
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(ReceiveLimits.DATAGRAM_BYTES)
                        .maxMessagesPerRead(ReceiveLimits.DATAGRAMS_PER_READ))
                .handler(socket)
                .bind(address);
        Promise<RelaySocket> bound = loop.newPromise();
        f.addListener(done -> {
            if (done.isSuccess()) {
                socket.bound(f.channel());
                bound.setSuccess(socket);
            } else {
                bound.setFailure(done.cause());
            }
        });
        return bound;
    }

    @Override
    public synchronized RelaySocket takeParked(EventLoop loop, boolean ipv6, boolean any) {
        ArrayDeque<Parked> q = (ipv6 ? v6 : v4).get(loop);
        if (q == null || q.isEmpty()) {
            return null;
        }
        Parked oldest = q.peekFirst();
        if (!any && System.nanoTime() - oldest.since() < QUARANTINE_NANOS) {
            return null;
        }
        q.pollFirst();
        return oldest.socket().isOpen() ? oldest.socket() : null;
    }

    /**
     * The oldest socket of the first non-empty pool of the family: used when the port range is exhausted and the
     * client's own loop has none parked — the caller closes it and binds its port again on the right loop.
     */
    @Override
    public synchronized RelaySocket takeParkedAnywhere(boolean ipv6) {
        for (ArrayDeque<Parked> q : (ipv6 ? v6 : v4).values()) {
            Parked p = q.pollFirst();
            if (p != null) {
                return p.socket();
            }
        }
        return null;
    }

    /** On the socket's loop. */
    @Override
    public boolean park(RelaySocket socket) {
        if (!socket.isOpen()) {
            return false;
        }
        synchronized (this) {
            if (closed) {
                return false;
            }
            ArrayDeque<Parked> q = (socket.ipv6() ? v6 : v4)
                    .computeIfAbsent(socket.eventLoop(), k -> new ArrayDeque<>());
            if (q.size() >= MAX_PARKED) {
                return false;
            }
            socket.attach(null);
            q.addLast(new Parked(socket, System.nanoTime()));
            return true;
        }
    }

    /** Ports held by parked sockets (so the caller can free them after {@link #closeAll}). */
    public synchronized int parked() {
        int n = 0;
        for (ArrayDeque<Parked> q : v4.values()) {
            n += q.size();
        }
        for (ArrayDeque<Parked> q : v6.values()) {
            n += q.size();
        }
        return n;
    }

    /** Closes every parked socket and refuses further parking; waits (bounded) for the sockets to close. */
    @Override
    public void closeAll() {
        List<RelaySocket> all = new ArrayList<>();
        synchronized (this) {
            closed = true;
            for (ArrayDeque<Parked> q : v4.values()) {
                q.forEach(p -> all.add(p.socket()));
            }
            for (ArrayDeque<Parked> q : v6.values()) {
                q.forEach(p -> all.add(p.socket()));
            }
            v4.clear();
            v6.clear();
        }
        for (RelaySocket socket : all) {
            socket.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
        }
    }
}
