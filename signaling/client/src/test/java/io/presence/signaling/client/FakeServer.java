package io.presence.signaling.client;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.ssl.SslContext;
import io.presence.signaling.protocol.ClientLimits;
import io.presence.signaling.protocol.ClientMessage;
import io.presence.signaling.protocol.ClientMessageDecoder;
import io.presence.signaling.protocol.DecodeResult;
import io.presence.signaling.protocol.ProtocolJson;
import io.presence.signaling.protocol.ServerMessage;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A scripted signaling server on loopback for the client's own tests (the real server depends on this module,
 * so it cannot be used here). Answers hello with a welcome carrying a fresh resume token; records every other
 * message for the test to answer with {@link #send}. Talks to the newest connection only.
 */
final class FakeServer implements AutoCloseable {
    static final ClientLimits LIMITS = new ClientLimits(65536, 100, 100, 1000, 10, 10, 8, 4000, 100, 65536, 1024,
            64, 16, 1024, 1024);
    private static final ProtocolJson JSON = new ProtocolJson();

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final ClientMessageDecoder decoder = new ClientMessageDecoder();
    private final boolean webSocket;
    private final Channel listener;
    private final BlockingQueue<ClientMessage> received = new LinkedBlockingQueue<>();
    /** The Origin header of each WebSocket handshake, "" when there was none. */
    final BlockingQueue<String> origins = new LinkedBlockingQueue<>();
    private final AtomicInteger tokens = new AtomicInteger();
    private volatile Channel current;

    private FakeServer(boolean webSocket, SslContext tls) throws InterruptedException {
        this.webSocket = webSocket;
        listener = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        current = ch;
                        if (tls != null) {
                            ch.pipeline().addLast(tls.newHandler(ch.alloc()));
                        }
                        if (webSocket) {
                            ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(65536),
                                    new WebSocketServerProtocolHandler("/ws"), new WebSocketFrames(), new NotFound());
                        } else {
                            ch.pipeline().addLast(new LineBasedFrameDecoder(65536), new Lines());
                        }
                    }
                })
                .bind(InetAddress.getLoopbackAddress(), 0).sync().channel();
    }

    static FakeServer start(ClientOptions.Transport transport) throws InterruptedException {
        return new FakeServer(transport == ClientOptions.Transport.WS, null);
    }

    /** A server that speaks TLS with {@code tls} on its one port. */
    static FakeServer start(ClientOptions.Transport transport, SslContext tls) throws InterruptedException {
        return new FakeServer(transport == ClientOptions.Transport.WS, tls);
    }

    InetSocketAddress address() {
        return (InetSocketAddress) listener.localAddress();
    }

    ClientOptions options() {
        return webSocket ? ClientOptions.ws(address()) : ClientOptions.tcp(address());
    }

    /** The next message of {@code type} the client sent (others are passed over); fails after five seconds. */
    <T extends ClientMessage> T next(Class<T> type) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (true) {
            ClientMessage m = received.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (m == null) {
                throw new AssertionError("the client sent no " + type.getSimpleName());
            }
            if (type.isInstance(m)) {
                return type.cast(m);
            }
        }
    }

    void send(ServerMessage message) {
        sendText(new String(JSON.encode(message), StandardCharsets.UTF_8));
    }

    void sendText(String text) {
        Channel ch = current;
        if (webSocket) {
            ch.writeAndFlush(new TextWebSocketFrame(text));
        } else {
            ch.writeAndFlush(Unpooled.copiedBuffer(text + "\n", StandardCharsets.UTF_8));
        }
    }

    /** Closes the newest connection from the server's side. */
    void closeConnection() {
        current.close().syncUninterruptibly();
    }

    @Override
    public void close() {
        listener.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private void onFrame(String text) {
        DecodeResult result = decoder.decode(text);
        if (!(result instanceof DecodeResult.Decoded decoded)) {
            throw new AssertionError("the client sent an invalid frame: " + text);
        }
        ClientMessage m = decoded.message();
        if (m instanceof ClientMessage.Hello hello) {
            String token = "token-" + tokens.incrementAndGet();
            send(new ServerMessage.Welcome(hello.requestId(), 1, "session-1", "user-1", token,
                    hello.resume() != null, hello.resume() == null ? 0 : hello.resume().lastSeq(), 25_000, 60_000,
                    LIMITS));
        }
        received.add(m);
    }

    private final class Lines extends SimpleChannelInboundHandler<ByteBuf> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf msg) {
            onFrame(msg.toString(StandardCharsets.UTF_8));
        }
    }

    /** Plain HTTP requests, such as a WebSocket upgrade on another path, get 404 as from a real server. */
    private static final class NotFound extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest msg) {
            ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_FOUND))
                    .addListener(ChannelFutureListener.CLOSE);
        }
    }

    private final class WebSocketFrames extends SimpleChannelInboundHandler<TextWebSocketFrame> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame msg) {
            onFrame(msg.text());
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete done) {
                String origin = done.requestHeaders().get(HttpHeaderNames.ORIGIN);
                origins.add(origin == null ? "" : origin);
            }
            super.userEventTriggered(ctx, evt);
        }
    }
}
