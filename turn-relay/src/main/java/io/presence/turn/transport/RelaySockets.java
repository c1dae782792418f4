package io.presence.turn.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import io.presence.net.NetStack;
import io.presence.turn.allocation.Allocation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Relay sockets: one UDP socket per allocation, registered on the allocation's event loop so both directions
 * of its traffic run on one thread. The pipeline is a single handler that hands each datagram to
 * {@link Allocation#receiveFromPeer}.
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
public final class RelaySockets {
    private static final Logger log = LoggerFactory.getLogger(RelaySockets.class);
    /** Parked sockets per event loop and family. */
    public static final int MAX_PARKED = 1024;
    /** How long a parked socket stays detached before another allocation may take it. */
    public static final long QUARANTINE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    /**
     * Receive buffer of a relay socket: a video burst from a peer must not overflow the kernel's default
     * (≈208 KB) while the event loop is busy. A cap, not an allocation: the kernel only uses what is queued.
     */
    public static final int RECEIVE_BUFFER_BYTES = 1 << 20;

    private record Parked(Channel channel, long since) {
    }

    private final NetStack net;
    private final Map<EventLoop, ArrayDeque<Parked>> v4 = new HashMap<>();
    private final Map<EventLoop, ArrayDeque<Parked>> v6 = new HashMap<>();
    private boolean closed;

    public RelaySockets(NetStack net) {
        this.net = net;
    }

    /** Binds a new relay socket for {@code allocation} at {@code address} on {@code loop}. */
    public ChannelFuture bind(EventLoop loop, InetSocketAddress address, Allocation allocation) {
        ChannelFuture f = new Bootstrap().group(loop).channelFactory(net.datagramChannel(address.getAddress()))
                .option(ChannelOption.SO_RCVBUF, RECEIVE_BUFFER_BYTES)
                .handler(new PeerHandler(allocation))
                .bind(address);
        return f;
    }

    /**
     * A parked socket of {@code loop} for the family, parked for at least the quarantine (or any parked one when
     * {@code any}), or null. The caller attaches it with {@link #attach}.
     */
    public synchronized Channel takeParked(EventLoop loop, boolean ipv6, boolean any) {
        ArrayDeque<Parked> q = (ipv6 ? v6 : v4).get(loop);
        if (q == null || q.isEmpty()) {
            return null;
        }
        Parked oldest = q.peekFirst();
        if (!any && System.nanoTime() - oldest.since() < QUARANTINE_NANOS) {
            return null;
        }
        q.pollFirst();
        return oldest.channel().isActive() ? oldest.channel() : null;
    }

    /**
     * A parked socket of the family on any event loop (the oldest of the first non-empty pool), or null: used
     * when the port range is exhausted and the client's own loop has none parked — the caller closes it and
     * binds its port again on the right loop.
     */
    public synchronized Channel takeParkedAnywhere(boolean ipv6) {
        for (ArrayDeque<Parked> q : (ipv6 ? v6 : v4).values()) {
            Parked p = q.pollFirst();
            if (p != null) {
                return p.channel();
            }
        }
        return null;
    }

    /** Points a (parked) relay socket at {@code allocation}. On the socket's loop. */
    public static void attach(Channel ch, Allocation allocation) {
        ch.pipeline().get(PeerHandler.class).allocation = allocation;
    }

    /**
     * Detaches the socket from its allocation and parks it; false when the pool is full or closed (the caller
     * closes the socket and frees its port). On the socket's loop.
     */
    public boolean park(Channel ch) {
        PeerHandler h = ch.pipeline().get(PeerHandler.class);
        if (h == null || !ch.isActive()) {
            return false;
        }
        synchronized (this) {
            if (closed) {
                return false;
            }
            boolean ipv6 = ((InetSocketAddress) ch.localAddress()).getAddress() instanceof Inet6Address;
            ArrayDeque<Parked> q = (ipv6 ? v6 : v4).computeIfAbsent(ch.eventLoop(), k -> new ArrayDeque<>());
            if (q.size() >= MAX_PARKED) {
                return false;
            }
            h.allocation = null;
            q.addLast(new Parked(ch, System.nanoTime()));
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
    public void closeAll() {
        List<Channel> all = new ArrayList<>();
        synchronized (this) {
            closed = true;
            for (ArrayDeque<Parked> q : v4.values()) {
                q.forEach(p -> all.add(p.channel()));
            }
            for (ArrayDeque<Parked> q : v6.values()) {
                q.forEach(p -> all.add(p.channel()));
            }
            v4.clear();
            v6.clear();
        }
        for (Channel ch : all) {
            ch.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
        }
    }

    /**
     * Buffer ownership: the datagram's content goes to the allocation, which releases or forwards it; without an
     * allocation (parked) it is released here.
     */
    private static final class PeerHandler extends ChannelInboundHandlerAdapter {
        private Allocation allocation; // confined to the socket's event loop

        PeerHandler(Allocation allocation) {
            this.allocation = allocation;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            Allocation a = allocation;
            if (a != null && msg instanceof DatagramPacket packet) {
                ByteBuf content = packet.content();
                a.receiveFromPeer(packet.sender(), content);
            } else {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // A relay socket serves one allocation; an error on one datagram must not end the allocation.
            log.debug("relay socket {} error (kept open)", ctx.channel().localAddress(), cause);
        }
    }
}
