package io.presence.signaling.client;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.extensions.compression.WebSocketClientCompressionHandler;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One socket of a client: connects, frames, and hands each received text frame (as UTF-8 string) to a consumer on
 * the channel's loop. Knows nothing about the protocol's meaning.
 */
final class ClientConnection {
    /** Client side accepts frames well above the server's default cap: history pages can be large. */
    static final int MAX_INBOUND_FRAME = 4 * 1024 * 1024;

    private final Channel channel;
    private final ClientOptions.Transport transport;

    private ClientConnection(Channel channel, ClientOptions.Transport transport) {
        this.channel = channel;
        this.transport = transport;
    }

    static ClientConnection open(EventLoopGroup group, Class<? extends SocketChannel> channelType,
                                 ClientOptions options, Consumer<String> onFrame, Runnable onClose) {
        Promise<Void> ready = group.next().newPromise();
        Bootstrap bootstrap = new Bootstrap()
                .group(group)
                .channel(channelType)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) options.connectTimeout().toMillis())
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ChannelPipeline p = ch.pipeline();
                        if (options.tls() != null) {
                            p.addLast(options.tls().newHandler(ch.alloc(), options.address().getHostString(),
                                    options.address().getPort()));
                        }
                        if (options.transport() == ClientOptions.Transport.TCP) {
                            p.addLast(new LineBasedFrameDecoder(MAX_INBOUND_FRAME));
                            p.addLast(new SimpleChannelInboundHandler<ByteBuf>() {
                                @Override
                                protected void channelRead0(ChannelHandlerContext ctx, ByteBuf msg) {
                                    onFrame.accept(msg.toString(StandardCharsets.UTF_8));
                                }
                            });
                        } else {
                            p.addLast(new HttpClientCodec());
                            p.addLast(new HttpObjectAggregator(64 * 1024));
                            if (options.deflate()) {
                                p.addLast(new WebSocketClientCompressionHandler(MAX_INBOUND_FRAME));
                            }
                            DefaultHttpHeaders headers = new DefaultHttpHeaders();
                            if (options.origin() != null) {
                                headers.set(HttpHeaderNames.ORIGIN, options.origin());
                            }
                            URI uri = URI.create((options.tls() != null ? "wss://" : "ws://") + options.address().getHostString() + ":"
                                    + options.address().getPort() + options.wsPath());
                            p.addLast(new WebSocketClientProtocolHandler(WebSocketClientProtocolConfig.newBuilder()
                                    .webSocketUri(uri)
                                    .customHeaders(headers)
                                    .generateOriginHeader(false)
                                    .allowExtensions(options.deflate())
                                    .maxFramePayloadLength(MAX_INBOUND_FRAME)
                                    .handshakeTimeoutMillis(options.connectTimeout().toMillis())
                                    .build()));
                            p.addLast(new SimpleChannelInboundHandler<WebSocketFrame>() {
                                @Override
                                protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame msg) {
                                    if (msg instanceof TextWebSocketFrame text) {
                                        onFrame.accept(text.text());
                                    }
                                }

                                @Override
                                public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
                                    if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                                        ready.trySuccess(null);
                                    } else if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
                                        ready.tryFailure(new IllegalStateException("WebSocket handshake timed out"));
                                    }
                                    super.userEventTriggered(ctx, evt);
                                }

                                @Override
                                public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                    ready.tryFailure(cause);
                                    ctx.close();
                                }
                            });
                        }
                    }
                });
        ChannelFuture connect = bootstrap.connect(options.address());
        if (!connect.awaitUninterruptibly(options.connectTimeout().toMillis() + 1000) || !connect.isSuccess()) {
            connect.channel().close();
            throw new IllegalStateException("cannot connect to " + options.address(), connect.cause());
        }
        Channel channel = connect.channel();
        channel.closeFuture().addListener(f -> {
            ready.tryFailure(new IllegalStateException("connection closed during handshake"));
            onClose.run();
        });
        if (options.transport() == ClientOptions.Transport.TCP) {
            ready.trySuccess(null);
        }
        Future<Void> done = ready.awaitUninterruptibly(options.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                ? ready : null;
        if (done == null || !done.isSuccess()) {
            channel.close();
            throw new IllegalStateException("handshake with " + options.address() + " failed",
                    done == null ? null : done.cause());
        }
        return new ClientConnection(channel, options.transport());
    }

    /** Sends one text frame (TCP: one line). {@code text} must not contain a newline for TCP. */
    ChannelFuture sendText(String text) {
        if (transport == ClientOptions.Transport.TCP) {
            ByteBuf buf = channel.alloc().buffer(text.length() + 1);
            buf.writeCharSequence(text, StandardCharsets.UTF_8);
            buf.writeByte('\n');
            return channel.writeAndFlush(buf);
        }
        return channel.writeAndFlush(new TextWebSocketFrame(text));
    }

    /** Raw bytes (TCP) or a binary frame (WebSocket): for testing the server's rejection of non-text input. */
    ChannelFuture sendBinary(byte[] bytes) {
        if (transport == ClientOptions.Transport.TCP) {
            return channel.writeAndFlush(Unpooled.wrappedBuffer(bytes));
        }
        return channel.writeAndFlush(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(bytes)));
    }

    Channel channel() {
        return channel;
    }

    boolean isOpen() {
        return channel.isActive();
    }

    void close() {
        channel.close().awaitUninterruptibly(2000);
    }
}
