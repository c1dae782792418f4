package io.presence.turn.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.unix.DatagramSocketAddress;
import io.netty.channel.unix.Socket;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.presence.net.DirectDatagrams;
import io.presence.net.LoopSockets;
import io.presence.net.ReceiveBuffer;
import io.presence.stun.server.ReceiveLimits;
import io.presence.turn.allocation.Allocation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Peer sockets: a second socket of an allocation's relay address, connected to the one peer the allocation talks to
 * ({@link PeerSocket}). The kernel then delivers that peer's datagrams to it, found by their 4-tuple, and Netty reads
 * them without a sender address (no address bytes written through JNI, no {@code InetSocketAddress} per datagram);
 * datagrams to the peer leave with {@code write} over the socket's cached route instead of a {@code sendto} that
 * looks the route up each time. Everyone else's datagrams still reach the relay socket. At most {@code limit} open
 * at once. Datagrams are read as on every UDP socket of the appliance ({@link ReceiveLimits}).
 *
 * <p>Only for epoll relay sockets bound to a specific address, and a peer of the same family. The relay socket gets
 * SO_REUSEPORT once it has a peer socket (the second bind needs it on both; a relay socket is bound without it, so
 * it never shares a port that someone else holds). A peer socket is of the relay socket's family: it sits in front
 * of the relay socket in the port's lookup chain, which costs a datagram from anyone else one more socket to skip,
 * and between its bind and its connect it can take datagrams meant for the relay socket. Those are read right after
 * the connect, with their senders, and handed to the allocation as from those senders; after the connect the
 * kernel gives the socket only the peer's.
 *
 * <p>Thread-safe: the count is atomic; a peer socket is made and closed on its allocation's event loop.
 */
public final class PeerSockets {
    private static final Logger log = LoggerFactory.getLogger(PeerSockets.class);
    /** Bound on the post-connect read of datagrams that came in before the connect (a queue of 1 MB holds fewer). */
    private static final int MAX_EARLY_DATAGRAMS = 4096;

    private final int limit;
    private final AtomicInteger open;

    /**
     * @param limit most peer sockets open at once (0: none)
     * @param open  the count, shared with its gauge
     */
    public PeerSockets(int limit, AtomicInteger open) {
        this.limit = limit;
        this.open = open;
    }

    /**
     * A socket of {@code relay}'s address connected to {@code peer}, delivering to {@code allocation}, or null: not a
     * relay socket it can serve (see the class comment), the limit reached, or the kernel refused. On the relay
     * socket's event loop.
     */
    public PeerSocket connect(Channel relay, InetSocketAddress peer, Allocation allocation) {
        if (limit == 0 || !(relay instanceof EpollDatagramChannel) || !relay.isActive()) {
            return null;
        }
        InetSocketAddress local = (InetSocketAddress) relay.localAddress();
        boolean ipv6 = local.getAddress() instanceof Inet6Address;
        if (local.getAddress().isAnyLocalAddress() || ipv6 != peer.getAddress() instanceof Inet6Address) {
            return null;
        }
        if (open.incrementAndGet() > limit) {
            open.decrementAndGet();
            return null;
        }
        EventLoop loop = relay.eventLoop();
        EpollDatagramChannel ch = new EpollDatagramChannel(ipv6 ? SocketProtocolFamily.INET6 : SocketProtocolFamily.INET);
        PeerSocket socket = new PeerSocket(ch, peer, this);
        try {
            relay.config().setOption(EpollChannelOption.SO_REUSEPORT, true);
            ch.config().setOption(EpollChannelOption.SO_REUSEPORT, true);
            ch.config().setOption(ChannelOption.SO_RCVBUF, RelaySockets.RECEIVE_BUFFER_BYTES);
            // The peer's datagrams go to the client as ChannelData: read them behind room for the header.
            ReceiveBuffer.install(ch, DirectDatagrams.PREFIX_BYTES, ReceiveLimits.DATAGRAM_BYTES,
                    ReceiveLimits.DATAGRAMS_PER_READ);
        } catch (RuntimeException e) {
            log.debug("peer socket not opened: {}", e.toString());
            ch.unsafe().closeForcibly();
            open.decrementAndGet();
            return null;
        }
        ch.pipeline().addLast(new Handler(allocation, peer));
        if (LoopSockets.succeeded(loop.register(ch), log, "peer socket") && LoopSockets.succeeded(ch.bind(local), log,
                "peer socket") && LoopSockets.succeeded(ch.connect(peer), log, "peer socket")) {
            ch.closeFuture().addListener(closed -> open.decrementAndGet());
            readEarly(ch, allocation);
            return socket;
        }
        ch.close();
        open.decrementAndGet();
        return null;
    }

    /**
     * Reads, with their senders, the datagrams the socket took between its bind and its connect (they were meant for
     * the relay socket and may come from anyone), so that none is later read as the peer's. Netty has not read the
     * socket yet: this runs on the loop in the task that registered it.
     */
    private static void readEarly(EpollDatagramChannel ch, Allocation allocation) {
        Socket fd = (Socket) ch.fd();
        for (int i = 0; i < MAX_EARLY_DATAGRAMS; i++) {
            ByteBuf buf = ch.alloc().directBuffer(DirectDatagrams.PREFIX_BYTES + ReceiveLimits.DATAGRAM_BYTES);
            DatagramSocketAddress from;
            try {
                from = fd.recvFromAddress(buf.memoryAddress(), DirectDatagrams.PREFIX_BYTES, buf.capacity());
            } catch (IOException e) {
                // An ICMP error reported on the socket (a refused earlier send of the relay's): nothing to read.
                buf.release();
                continue;
            }
            if (from == null) {
                buf.release();
                return;
            }
            buf.setIndex(DirectDatagrams.PREFIX_BYTES, DirectDatagrams.PREFIX_BYTES + from.receivedAmount());
            allocation.receiveFromPeer(new InetSocketAddress(from.getAddress(), from.getPort()), buf);
        }
    }

    /** Closes a peer socket outside its own read ({@link LoopSockets#closeOutsideRead}); the future: closed. On the loop. */
    Future<Void> closed(PeerSocket socket) {
        return LoopSockets.closeOutsideRead(socket.channel());
    }

    /**
     * Every datagram on a peer socket is the peer's: the allocation gets it as from the peer, with the permission
     * and channel checks of any datagram to the relay address. Buffer ownership as in the relay socket's handler.
     */
    private static final class Handler extends ChannelInboundHandlerAdapter {
        private final Allocation allocation;
        private final InetSocketAddress peer;

        Handler(Allocation allocation, InetSocketAddress peer) {
            this.allocation = allocation;
            this.peer = peer;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof DatagramPacket packet) {
                allocation.receiveFromPeer(peer, packet.content());
            } else {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // A connected socket reports the peer's ICMP errors (port unreachable) on its next read or send; the
            // socket stays open, like the relay socket.
            log.debug("peer socket {} error (kept open)", ctx.channel().remoteAddress(), cause);
        }
    }
}
