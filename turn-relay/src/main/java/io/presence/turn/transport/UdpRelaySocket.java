package io.presence.turn.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.presence.net.DirectDatagrams;
import io.presence.turn.allocation.Allocation;
import io.presence.turn.allocation.RelaySocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.Inet6Address;
import java.net.InetSocketAddress;

/**
 * A relay socket on a Netty datagram channel, and the channel's one handler: each datagram goes to the attached
 * allocation ({@link Allocation#receiveFromPeer}). To the first peer its allocation sends to, it opens a peer socket
 * ({@link PeerSockets}) and sends that peer's datagrams through it.
 *
 * <p>Buffer ownership: a datagram's content goes to the allocation, which releases or forwards it; without an
 * allocation (parked) it is released here. Confined to the channel's event loop.
 */
final class UdpRelaySocket extends ChannelInboundHandlerAdapter implements RelaySocket {
    private static final Logger log = LoggerFactory.getLogger(UdpRelaySocket.class);

    private final PeerSockets peerSockets;
    private Channel channel;
    private Allocation allocation;
    private PeerSocket peerSocket;
    private boolean peerSocketTried;

    UdpRelaySocket(PeerSockets peerSockets, Allocation allocation) {
        this.peerSockets = peerSockets;
        this.allocation = allocation;
    }

    /** The channel, once bound. */
    void bound(Channel ch) {
        this.channel = ch;
    }

    @Override
    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    @Override
    public boolean ipv6() {
        return ((InetSocketAddress) channel.localAddress()).getAddress() instanceof Inet6Address;
    }

    @Override
    public EventLoop eventLoop() {
        return channel.eventLoop();
    }

    @Override
    public boolean isOpen() {
        return channel.isActive();
    }

    @Override
    public void send(ByteBuf payload, InetSocketAddress peer) {
        if (!peerSocketTried) {
            peerSocketTried = true;
            peerSocket = peerSockets.connect(channel, peer, allocation);
        }
        PeerSocket ps = peerSocket;
        if (ps != null && (ps.peer() == peer || ps.peer().equals(peer)) && ps.channel().isActive()) {
            DirectDatagrams.write(ps.channel(), payload);
        } else {
            DirectDatagrams.send(channel, payload, peer);
        }
    }

    @Override
    public void attach(Allocation allocation) {
        this.allocation = allocation;
    }

    @Override
    public Future<?> releasePeerSockets() {
        peerSocketTried = false;
        if (peerSocket == null) {
            return null;
        }
        Future<Void> closed = peerSocket.close();
        peerSocket = null;
        return closed;
    }

    @Override
    public Future<?> close() {
        return channel.close();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Allocation a = allocation;
        if (a != null && msg instanceof DatagramPacket packet) {
            a.receiveFromPeer(packet.sender(), packet.content());
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
