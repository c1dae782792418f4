package io.presence.signaling.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.util.concurrent.Promise;
import io.presence.signaling.client.ClientOptions;
import io.presence.signaling.protocol.ClientMessage;
import io.presence.signaling.protocol.ProtocolJson;
import io.presence.signaling.protocol.ServerMessage;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A misbehaving peer for protocol tests, on its own socket: sends binary frames and raw bytes, and never answers
 * the server's pings (a half-open peer). Counts pings and remembers the last event sequence number; every other
 * message is kept for {@link #request} and {@link #nextUnsolicited}. What a well-behaved client does is the
 * client library's job, not this one's.
 */
final class RawPeer implements AutoCloseable {
    private static final ProtocolJson JSON = new ProtocolJson();

    private final EventLoopGroup group;
    private final Channel channel;
    private final boolean lines;
    private final BlockingQueue<ServerMessage> received = new LinkedBlockingQueue<>();
    /** Messages {@link #request} passed over while waiting for its answer; read from the test thread only. */
    private final Deque<ServerMessage> skipped = new ArrayDeque<>();
    private final AtomicLong pings = new AtomicLong();
    private volatile long lastSeq;

    private RawPeer(EventLoopGroup group, Channel channel, boolean lines) {
        this.group = group;
        this.channel = channel;
        this.lines = lines;
    }

    static RawPeer open(ClientOptions options) throws InterruptedException {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        boolean lines = options.transport() == ClientOptions.Transport.TCP;
        Promise<Void> ready = group.next().newPromise();
        RawPeer[] self = new RawPeer[1];
        Bootstrap bootstrap = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (lines) {
                            ch.pipeline().addLast(new LineBasedFrameDecoder(1 << 20));
                            ch.pipeline().addLast(new SimpleChannelInboundHandler<ByteBuf>() {
                                @Override
                                protected void channelRead0(ChannelHandlerContext ctx, ByteBuf msg) {
                                    self[0].onFrame(msg.toString(StandardCharsets.UTF_8));
                                }
                            });
                        } else {
                            URI uri = URI.create("ws://" + options.address().getHostString() + ":"
                                    + options.address().getPort() + options.wsPath());
                            ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(1 << 16),
                                    new WebSocketClientProtocolHandler(WebSocketClientProtocolConfig.newBuilder()
                                            .webSocketUri(uri).maxFramePayloadLength(1 << 20).build()));
                            ch.pipeline().addLast(new SimpleChannelInboundHandler<TextWebSocketFrame>() {
                                @Override
                                protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame msg) {
                                    self[0].onFrame(msg.text());
                                }

                                @Override
                                public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                                    if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent
                                            .HANDSHAKE_COMPLETE) {
                                        ready.trySuccess(null);
                                    }
                                    ctx.fireUserEventTriggered(evt);
                                }
                            });
                        }
                    }
                });
        Channel channel = bootstrap.connect(options.address()).sync().channel();
        self[0] = new RawPeer(group, channel, lines);
        if (lines) {
            ready.trySuccess(null);
        }
        if (!ready.await(5, TimeUnit.SECONDS)) {
            self[0].close();
            throw new IllegalStateException("WebSocket handshake did not complete");
        }
        return self[0];
    }

    /** Opens a connection and logs in with the development provider. */
    static RawPeer session(ClientOptions options, String name) throws InterruptedException {
        RawPeer peer = open(options);
        ServerMessage welcome = peer.request(new ClientMessage.Hello("hello", 1,
                new ClientMessage.Credentials("dev", name, null, null), null), Duration.ofSeconds(5));
        if (!(welcome instanceof ServerMessage.Welcome)) {
            peer.close();
            throw new IllegalStateException("no welcome: " + welcome);
        }
        return peer;
    }

    void sendText(String text) {
        if (lines) {
            channel.writeAndFlush(Unpooled.copiedBuffer(text + "\n", StandardCharsets.UTF_8));
        } else {
            channel.writeAndFlush(new TextWebSocketFrame(text));
        }
    }

    /** A binary WebSocket frame, or the bytes as they are on TCP. */
    void sendBinary(byte[] bytes) {
        channel.writeAndFlush(lines ? Unpooled.wrappedBuffer(bytes)
                : new BinaryWebSocketFrame(Unpooled.wrappedBuffer(bytes)));
    }

    /** Sends {@code message} and waits for the message carrying its request id; null after {@code timeout}. */
    ServerMessage request(ClientMessage message, Duration timeout) throws InterruptedException {
        sendText(new String(JSON.encode(message), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            ServerMessage m = received.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (m == null || message.requestId().equals(m.requestId())) {
                return m;
            }
            skipped.add(m);
        }
    }

    /** The next message that answered no {@link #request}; null after {@code timeout}. */
    ServerMessage nextUnsolicited(Duration timeout) throws InterruptedException {
        ServerMessage m = skipped.poll();
        return m != null ? m : received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    boolean awaitClose(Duration timeout) {
        return channel.closeFuture().awaitUninterruptibly(timeout.toMillis());
    }

    long pings() {
        return pings.get();
    }

    long lastSeq() {
        return lastSeq;
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly(2000);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2000);
    }

    private void onFrame(String text) {
        ServerMessage m = JSON.decodeServer(text);
        if (m instanceof ServerMessage.Ping) {
            pings.incrementAndGet();
        } else if (m instanceof ServerMessage.EventFrame e) {
            lastSeq = e.seq();
        } else {
            received.add(m);
        }
    }

}
