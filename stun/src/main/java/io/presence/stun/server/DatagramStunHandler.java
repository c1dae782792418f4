package io.presence.stun.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import io.presence.net.DirectDatagrams;
import io.presence.stun.codec.ChannelData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;

/**
 * The UDP adapter: each datagram becomes one dispatch with a per-datagram {@link StunPeer}. A UDP socket
 * serves everyone, so nothing a single sender does — bad bytes, an exception in a handler — closes it.
 *
 * <p>Buffer ownership: the datagram's content is handed to the dispatcher as it is (no retain and release
 * around it: two atomic operations per datagram on the relay's hot path).
 */
final class DatagramStunHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(DatagramStunHandler.class);

    private final StunDispatcher dispatcher;
    private final OtherAddresses others;
    private final int ipIndex;
    private final int portIndex;
    private final ClientSockets clients;

    DatagramStunHandler(StunDispatcher dispatcher) {
        this(dispatcher, null, 0, 0, null);
    }

    /** A primary socket without RFC 5780; {@code clients} null when client sockets are off. */
    DatagramStunHandler(StunDispatcher dispatcher, ClientSockets clients) {
        this(dispatcher, null, 0, 0, clients);
    }

    /** A socket of an RFC 5780 set: {@code ipIndex}/{@code portIndex} 0 for primary, 1 for alternate. */
    DatagramStunHandler(StunDispatcher dispatcher, OtherAddresses others, int ipIndex, int portIndex) {
        this(dispatcher, others, ipIndex, portIndex, null);
    }

    private DatagramStunHandler(StunDispatcher dispatcher, OtherAddresses others, int ipIndex, int portIndex,
                                ClientSockets clients) {
        this.clients = clients;
        this.dispatcher = dispatcher;
        this.others = others;
        this.ipIndex = ipIndex;
        this.portIndex = portIndex;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof DatagramPacket packet)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        Channel ch = ctx.channel();
        InetSocketAddress local = packet.recipient() != null ? packet.recipient() : (InetSocketAddress) ch.localAddress();
        dispatcher.dispatch(new UdpPeer(ch, packet.sender(), local, others, ipIndex, portIndex, clients), packet.content());
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Deliberately not closing: one bad exchange must not take the shared port down. Send failures
        // (no route to a spoofed source, full buffers) come here too and are the sender's doing: debug.
        if (cause instanceof java.io.IOException) {
            log.debug("I/O error on UDP STUN socket {} (kept open): {}", ctx.channel().localAddress(), cause.toString());
        } else {
            log.warn("error on UDP STUN socket {} (kept open)", ctx.channel().localAddress(), cause);
        }
    }

    /** {@code others} is null unless RFC 5780 is configured; {@code clients} null unless client sockets are on. */
    record UdpPeer(Channel channel, InetSocketAddress remoteAddress, InetSocketAddress localAddress,
                   OtherAddresses others, int ipIndex, int portIndex, ClientSockets clients) implements StunPeer {
        @Override
        public StunTransport transport() {
            return StunTransport.UDP;
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
            DirectDatagrams.send(channel, message, remoteAddress);
        }

        @Override
        public boolean canSendFor(StunPeer sibling) {
            return sibling.transport() == StunTransport.UDP && localAddress.equals(sibling.localAddress());
        }

        @Override
        public void sendFor(StunPeer sibling, ByteBuf message) {
            DirectDatagrams.send(channel, message, sibling.remoteAddress());
        }

        @Override
        public ConnectedPeer connect() {
            return clients == null ? null : clients.connect(channel, this);
        }

        /** Header and payload leave in one {@code sendmsg} from where they are: nothing is copied. */
        @Override
        public void sendChannelData(StunPeer target, int number, ByteBuf payload) {
            DirectDatagrams.sendPrefixed(channel, ChannelData.header(number, payload.readableBytes()), payload,
                    target.remoteAddress());
        }
    }
}
