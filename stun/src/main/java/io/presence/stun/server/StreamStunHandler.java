package io.presence.stun.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.presence.stun.StunDecodeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;

/**
 * The TCP/TLS adapter, after {@code StunFrameDecoder}: one {@link StunPeer} per connection, each frame
 * dispatched. A framing violation (reported by the decoder as a {@link StunDecodeException}) is counted and
 * closes the connection — a byte stream cannot resynchronise; a bad but well-framed message is only
 * counted and dropped, like on UDP. Each well-formed message is reported to the connection's {@link StreamDeadlines}.
 *
 * <p>Buffer ownership: each frame is handed to the dispatcher (retained here, since
 * {@code SimpleChannelInboundHandler} releases it).
 */
final class StreamStunHandler extends SimpleChannelInboundHandler<ByteBuf> {
    private static final Logger log = LoggerFactory.getLogger(StreamStunHandler.class);

    private final StunDispatcher dispatcher;
    private final StunExtension extension;
    private final StunMetrics metrics;
    private final StunTransport transport;
    private final StreamDeadlines deadlines;
    private StunPeer peer;

    StreamStunHandler(StunDispatcher dispatcher, StunExtension extension, StunMetrics metrics, StunTransport transport,
                      StreamDeadlines deadlines) {
        this.deadlines = deadlines;
        this.dispatcher = dispatcher;
        this.extension = extension;
        this.metrics = metrics;
        this.transport = transport;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        Channel ch = ctx.channel();
        peer = new StreamPeer(ch, transport, (InetSocketAddress) ch.remoteAddress(), (InetSocketAddress) ch.localAddress());
        metrics.connectionOpened();
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (peer != null) {
            metrics.connectionClosed();
            extension.onConnectionClosed(peer);
        }
        super.channelInactive(ctx);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
        if (dispatcher.dispatch(peer, frame.retain())) {
            deadlines.frame();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof StunDecodeException e) {
            metrics.decodeFailure(transport, e.reason());
            log.debug("closing {} connection from {}: {}", transport.label(), ctx.channel().remoteAddress(), e.getMessage());
        } else {
            log.debug("closing {} connection from {}", transport.label(), ctx.channel().remoteAddress(), cause);
        }
        ctx.close();
    }

    private record StreamPeer(Channel channel, StunTransport transport, InetSocketAddress remoteAddress,
                              InetSocketAddress localAddress) implements StunPeer {
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
            channel.writeAndFlush(message).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        }
    }
}
