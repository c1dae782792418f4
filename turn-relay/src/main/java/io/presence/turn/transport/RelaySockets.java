package io.presence.turn.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import io.presence.net.NetStack;
import io.presence.turn.allocation.Allocation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;

/**
 * Opens relay sockets: one UDP socket per allocation, registered on the allocation's event loop so that both
 * directions of its traffic run on one thread. The pipeline is a single handler that hands each datagram to
 * {@link Allocation#receiveFromPeer}.
 *
 * <p>Thread-safe (stateless apart from the shared {@link NetStack}).
 */
public final class RelaySockets {
    private static final Logger log = LoggerFactory.getLogger(RelaySockets.class);

    private final NetStack net;

    public RelaySockets(NetStack net) {
        this.net = net;
    }

    /** Binds a relay socket for {@code allocation} at {@code address} on {@code loop}. */
    public ChannelFuture bind(EventLoop loop, InetSocketAddress address, Allocation allocation) {
        return new Bootstrap().group(loop).channel(net.datagramChannel())
                .handler(new PeerHandler(allocation))
                .bind(address);
    }

    /**
     * Buffer ownership: the datagram's content goes to the allocation, which releases or forwards it. Anything
     * else is released here.
     */
    private static final class PeerHandler extends ChannelInboundHandlerAdapter {
        private final Allocation allocation;

        PeerHandler(Allocation allocation) {
            this.allocation = allocation;
        }

        @Override
        public boolean isSharable() {
            return false;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof DatagramPacket packet) {
                ByteBuf content = packet.content();
                allocation.receiveFromPeer(packet.sender(), content);
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
