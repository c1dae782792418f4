package io.presence.signaling.client.internal;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.extensions.compression.WebSocketClientCompressionHandler;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.IdentityCipherSuiteFilter;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Promise;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * One socket of a session: connects, frames, and hands each received text frame (as a string) to a consumer on
 * the socket's event loop. Knows nothing about the protocol's meaning.
 *
 * <p>Thread-safe: writes may come from any thread (Netty queues them on the loop).
 */
public final class Connection {
    /** Accepts frames well above the server's default cap: history pages can be large. */
    static final int MAX_INBOUND_FRAME = 4 * 1024 * 1024;
    private static final int MAX_HANDSHAKE_RESPONSE = 64 * 1024;

    private final Channel channel;
    private final boolean lines;

    private Connection(Channel channel, boolean lines) {
        this.channel = channel;
        this.lines = lines;
    }

    /**
     * Connects and, for WebSocket, completes the handshake; blocks for at most the options' connect timeout
     * (plus a second for the TCP connect to report).
     *
     * @param onFrame each text frame, on the event loop, one at a time
     * @param onClose once, on the event loop, when the socket closes for any reason
     * @throws IllegalStateException when the connection or the handshake fails
     */
    public static Connection open(IoThreads io, Endpoint options, Consumer<String> onFrame, Runnable onClose) {
        Promise<Void> ready = io.group().next().newPromise();
        boolean lines = options.tcp();
        Bootstrap bootstrap = new Bootstrap()
                .group(io.group())
                .channel(io.channelType())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) options.connectTimeout().toMillis())
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ChannelPipeline p = ch.pipeline();
                        if (options.tlsContext() != null) {
                            SslHandler tls = sslHandler(ch, options);
                            p.addLast(tls);
                            if (lines) {
                                // Without a WebSocket handshake after it, the TLS handshake is what makes it ready.
                                tls.handshakeFuture().addListener(f -> {
                                    if (f.isSuccess()) {
                                        ready.trySuccess(null);
                                    } else {
                                        ready.tryFailure(f.cause());
                                    }
                                });
                            }
                        }
                        if (lines) {
                            p.addLast(new LineBasedFrameDecoder(MAX_INBOUND_FRAME));
                            p.addLast(new LineReader(onFrame));
                        } else {
                            p.addLast(new HttpClientCodec());
                            p.addLast(new HttpObjectAggregator(MAX_HANDSHAKE_RESPONSE));
                            if (options.deflate()) {
                                p.addLast(new WebSocketClientCompressionHandler(MAX_INBOUND_FRAME));
                            }
                            p.addLast(new WebSocketClientProtocolHandler(webSocketConfig(options)));
                            p.addLast(new WebSocketReader(onFrame, ready));
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
        if (lines && options.tlsContext() == null) {
            ready.trySuccess(null);
        }
        boolean done = ready.awaitUninterruptibly(options.connectTimeout().toMillis());
        if (!done || !ready.isSuccess()) {
            channel.close();
            throw new IllegalStateException("handshake with " + options.address() + " failed",
                    done ? ready.cause() : null);
        }
        return new Connection(channel, lines);
    }

    /**
     * Sends one text frame (TCP: one line; {@code text} must then hold no newline).
     *
     * @param onFailure called with the cause when the write fails, or null to ignore failures
     */
    public void sendText(String text, Consumer<Throwable> onFailure) {
        ChannelFuture write;
        if (lines) {
            ByteBuf buf = channel.alloc().buffer(text.length() + 1);
            buf.writeCharSequence(text, StandardCharsets.UTF_8);
            buf.writeByte('\n');
            write = channel.writeAndFlush(buf);
        } else {
            write = channel.writeAndFlush(new TextWebSocketFrame(text));
        }
        if (onFailure != null) {
            write.addListener(f -> {
                if (!f.isSuccess()) {
                    onFailure.accept(f.cause());
                }
            });
        }
    }

    public boolean isOpen() {
        return channel.isActive();
    }

    /** Closes and waits up to two seconds for the socket to be gone. */
    public void close() {
        channel.close().awaitUninterruptibly(2000);
    }

    private static SslHandler sslHandler(SocketChannel ch, Endpoint options) {
        JdkSslContext context = new JdkSslContext(options.tlsContext(), true, null, IdentityCipherSuiteFilter.INSTANCE,
                ApplicationProtocolConfig.DISABLED, ClientAuth.NONE, null, false);
        SslHandler handler = context.newHandler(ch.alloc(), options.address().getHostString(),
                options.address().getPort());
        if (options.verifyHostname()) {
            SSLEngine engine = handler.engine();
            SSLParameters parameters = engine.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            engine.setSSLParameters(parameters);
        }
        return handler;
    }

    private static WebSocketClientProtocolConfig webSocketConfig(Endpoint options) {
        DefaultHttpHeaders headers = new DefaultHttpHeaders();
        if (options.origin() != null) {
            headers.set(HttpHeaderNames.ORIGIN, options.origin());
        }
        URI uri = URI.create((options.tlsContext() != null ? "wss://" : "ws://") + options.address().getHostString() + ":"
                + options.address().getPort() + options.wsPath());
        return WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(uri)
                .customHeaders(headers)
                .generateOriginHeader(false)
                .allowExtensions(options.deflate())
                .maxFramePayloadLength(MAX_INBOUND_FRAME)
                .handshakeTimeoutMillis(options.connectTimeout().toMillis())
                .build();
    }

    /** TCP: each line is one frame. */
    private static final class LineReader extends SimpleChannelInboundHandler<ByteBuf> {
        private final Consumer<String> onFrame;

        LineReader(Consumer<String> onFrame) {
            this.onFrame = onFrame;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf msg) {
            onFrame.accept(msg.toString(StandardCharsets.UTF_8));
        }
    }

    /** WebSocket: text frames are frames; completes {@code ready} when the handshake does. */
    private static final class WebSocketReader extends SimpleChannelInboundHandler<WebSocketFrame> {
        private final Consumer<String> onFrame;
        private final Promise<Void> ready;

        WebSocketReader(Consumer<String> onFrame, Promise<Void> ready) {
            this.onFrame = onFrame;
            this.ready = ready;
        }

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
    }
}
