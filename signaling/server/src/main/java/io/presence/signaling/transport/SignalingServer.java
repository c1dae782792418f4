package io.presence.signaling.transport;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.util.concurrent.Future;
import io.presence.net.ConnectionGate;
import io.presence.net.ConnectionLimits;
import io.presence.net.ListenerBindException;
import io.presence.net.NetStack;
import io.presence.net.ReloadingSslContext;
import io.presence.signaling.core.SignalingCore;
import io.presence.signaling.http.HttpEndpoints;
import io.presence.signaling.protocol.ServerMessage;
import io.presence.signaling.session.SessionManager;
import io.presence.signaling.session.SignalingMetrics;
import io.presence.signaling.session.SignalingSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The signaling core served over the network: WebSocket and TCP listeners whose connections become core sessions.
 * The composition root builds the {@link SignalingCore} and this server around it, {@link #start()}s it, and on
 * shutdown calls {@link #drain()} then {@link #close()}.
 *
 * <p>Threads: none of its own. Everything runs on the {@link NetStack}'s event loops, which the caller owns and
 * shuts down after {@link #close()}.
 *
 * <p>Thread-safe; {@code start} once, {@code drain} and {@code close} idempotent.
 */
public final class SignalingServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SignalingServer.class);
    static final Duration CLOSE_WAIT = Duration.ofSeconds(5);
    static final int SHUTDOWN_BARRIER_ROUNDS = 3;
    /**
     * Connections across the signaling listeners when none are given: an idle session costs a few KB, a descriptor
     * is the scarcer resource; the appliance derives its cap from the process's descriptor limit instead.
     */
    public static final ConnectionLimits DEFAULT_CONNECTION_LIMITS = new ConnectionLimits(10_000, 256);

    private final SignalingSettings settings;
    private final NetStack net;
    private final SignalingCore core;
    private final NettyLoops loops;
    private final SignalingMetrics metrics;
    private final SessionManager sessions;
    private final ConnectionTracker tracker = new ConnectionTracker();
    private final ConnectionGate gate;
    private final List<Channel> listeners = new ArrayList<>(2);
    private volatile InetSocketAddress wsAddress;
    private volatile InetSocketAddress tcpAddress;
    private volatile InetSocketAddress wssAddress;
    private ReloadingSslContext tls;
    private boolean started;
    private boolean closed;
    private HttpEndpoints endpoints = HttpEndpoints.NONE;

    /**
     * @param core   the signaling core to serve; its loops must be {@code loops}. The server owns it from here:
     *               {@link #close()} closes it
     * @param loops  the core's loops over {@code net}'s worker event loops: a connection's session goes on the loop
     *               of its channel
     * @param limits connections at once across the WebSocket, WSS and TCP listeners, in total and per source; the
     *               excess is reset at accept, before any byte is read
     */
    public SignalingServer(SignalingCore core, NettyLoops loops, NetStack net, MeterRegistry registry,
                           ConnectionLimits limits) {
        if (core.loops() != loops) {
            throw new IllegalArgumentException("the core must run on the loops the server places sessions on");
        }
        this.gate = new ConnectionGate("signaling", limits, registry);
        this.core = core;
        this.loops = loops;
        this.settings = core.settings();
        this.net = net;
        this.metrics = core.metrics();
        this.sessions = core.sessions();
    }

    /** Plain HTTP endpoints served on the WebSocket listeners (avatars, the API); set before {@link #start()}. */
    public synchronized SignalingServer endpoints(HttpEndpoints served) {
        if (started) {
            throw new IllegalStateException("already started");
        }
        this.endpoints = served;
        return this;
    }

    /**
     * Binds the enabled listeners; blocks until bound. Throws {@link ListenerBindException} if a port cannot be
     * bound (nothing is left open).
     */
    public synchronized void start() {
        if (started || closed) {
            throw new IllegalStateException(closed ? "closed" : "already started");
        }
        started = true;
        if (settings.tls() != null) {
            tls = new ReloadingSslContext(settings.tls().certificateChain(), settings.tls().privateKey());
            tls.watch(net.acceptors().next(), settings.tls().reloadCheck());
        }
        Pipelines pipelines = new Pipelines(settings, sessions, loops, metrics, tracker, tls, core.trustedProxies())
                .endpoints(endpoints);
        try {
            if (settings.wsPort() >= 0) {
                wsAddress = bind("ws", settings.wsHost(), settings.wsPort(), pipelines.webSocket(false));
                log.info("signaling WebSocket listening on {}{}", wsAddress, settings.wsPath());
            }
            if (tls != null && settings.wssPort() >= 0) {
                wssAddress = bind("wss", settings.wsHost(), settings.wssPort(), pipelines.webSocket(true));
                log.info("signaling WebSocket over TLS listening on {}{}", wssAddress, settings.wsPath());
            }
            if (settings.tcpPort() >= 0) {
                boolean secure = tls != null && settings.tcpTls();
                tcpAddress = bind("tcp", settings.tcpHost(), settings.tcpPort(), pipelines.tcp(secure));
                log.info("signaling TCP listening on {}{}", tcpAddress, secure ? " (TLS)" : "");
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The bound WebSocket listener address (real port when configured as 0), or null when disabled/not started. */
    public InetSocketAddress webSocketAddress() {
        return wsAddress;
    }

    /** The bound WebSocket-over-TLS listener address, or null when no certificate is configured or it is disabled. */
    public InetSocketAddress secureWebSocketAddress() {
        return wssAddress;
    }

    /** The bound TCP listener address, or null when disabled/not started. */
    public InetSocketAddress tcpAddress() {
        return tcpAddress;
    }

    public SignalingSettings settings() {
        return settings;
    }

    public int activeSessions() {
        return sessions.activeSessions();
    }

    public int openConnections() {
        return tracker.size();
    }

    /** The connection caps' state: connections admitted and not yet closed, WebSocket ones before the upgrade too. */
    public ConnectionGate connectionGate() {
        return gate;
    }

    public int activeRooms() {
        return core.rooms().size();
    }

    /** True once {@link #drain()} or {@link #close()} ran: for the readiness probe. */
    public boolean isDraining() {
        return sessions.isDraining();
    }

    /**
     * Stops accepting connections and new sessions, and tells every connection {@code closing} with reason
     * {@code server_going_away}. Existing connections stay open (clients reconnect elsewhere at their own pace)
     * until {@link #close()}.
     */
    public synchronized void drain() {
        if (sessions.isDraining() && listeners.isEmpty()) {
            return;
        }
        sessions.drain();
        closeListeners();
        for (ChannelConnection c : tracker.snapshot()) {
            c.sendControl(new ServerMessage.Closing("server_going_away", "the server is shutting down"));
        }
    }

    /** Ends every session, closes every connection and listener, removes the meters. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        sessions.drain();
        closeListeners();
        sessions.endAll("shutdown");
        List<Future<?>> closing = new ArrayList<>();
        for (ChannelConnection c : tracker.snapshot()) {
            c.close("shutdown", "the server is shutting down");
            closing.add(c.channel().closeFuture());
        }
        long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
        for (Future<?> f : closing) {
            f.awaitUninterruptibly(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
        // Let every loop run the session-end and room-leave tasks queued above, so timers are cancelled before
        // the caller shuts the loops down.
        // Session end → room leave → member notifications hop between loops, hence a few rounds.
        for (int round = 0; round < SHUTDOWN_BARRIER_ROUNDS; round++) {
            for (var executor : net.workers()) {
                if (!executor.isShuttingDown()) {
                    executor.submit(() -> { })
                            .awaitUninterruptibly(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                }
            }
        }
        if (tls != null) {
            tls.close();
        }
        core.close();
        log.info("signaling closed");
    }

    /** Binds one listener; a failure is a {@link ListenerBindException} naming it ("ws", "wss" or "tcp"). */
    private InetSocketAddress bind(String listener, String host, int port, ChannelInitializer<Channel> initializer) {
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(net.acceptors(), net.workers())
                .channel(net.serverSocketChannel())
                .handler(gate)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(initializer);
        Channel channel = ListenerBindException.bind(listener, bootstrap, host, port);
        listeners.add(channel);
        return (InetSocketAddress) channel.localAddress();
    }

    private void closeListeners() {
        for (Channel c : listeners) {
            c.close().awaitUninterruptibly(CLOSE_WAIT.toMillis());
        }
        listeners.clear();
    }
}
