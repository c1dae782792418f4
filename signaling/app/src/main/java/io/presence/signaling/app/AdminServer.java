package io.presence.signaling.app;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.presence.metrics.MetricsRegistry;
import io.presence.metrics.admin.AdminHandler;
import io.presence.metrics.health.Readiness;
import io.presence.net.ConnectionGate;
import io.presence.net.ListenerBindException;
import io.presence.signaling.app.config.ConnectionBudget;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The admin HTTP listener: {@code /metrics}, {@code /healthz}, {@code /readyz}. Never public by default.
 *
 * <p>It runs on its own single-threaded event loop rather than the shared workers: a scrape reads /proc
 * and renders every meter, and that work must neither delay relay packets nor be delayed by them — a
 * liveness probe has to answer while the appliance is under load.
 */
public final class AdminServer implements AutoCloseable {

    /** Requests are a line and a few headers; anything larger is not a probe. */
    private static final int MAX_REQUEST_BYTES = 8192;
    private static final int IDLE_SECONDS = 30;

    private final InetSocketAddress bind;
    private final AdminHandler handler;
    private final ConnectionGate gate;
    private EventLoopGroup group;
    private Channel server;

    public AdminServer(InetSocketAddress bind, MetricsRegistry metrics, Readiness readiness) {
        this.bind = bind;
        this.handler = new AdminHandler(metrics, readiness);
        this.gate = new ConnectionGate("admin", ConnectionBudget.ADMIN, metrics.registry());
    }

    /** Binds the listener; blocks until bound. A failure is a {@link ListenerBindException} named "admin". */
    public synchronized InetSocketAddress start() throws InterruptedException {
        if (server != null) {
            throw new IllegalStateException("already started");
        }
        group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("presence-admin", true),
                NioIoHandler.newFactory());
        try {
            server = ListenerBindException.bind("admin", new ServerBootstrap()
                    .group(group)
                    .channel(NioServerSocketChannel.class)
                    .handler(gate)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline()
                                    .addLast(new ReadTimeoutHandler(IDLE_SECONDS))
                                    .addLast(new HttpServerCodec())
                                    .addLast(new HttpObjectAggregator(MAX_REQUEST_BYTES))
                                    .addLast(handler);
                        }
                    }), bind);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        return address();
    }

    public synchronized InetSocketAddress address() {
        return server == null ? null : (InetSocketAddress) server.localAddress();
    }

    /** Closes the listener and waits for its thread to end. Idempotent. */
    @Override
    public synchronized void close() {
        if (server != null) {
            server.close().awaitUninterruptibly();
            server = null;
        }
        if (group != null) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
            group = null;
        }
    }
}
