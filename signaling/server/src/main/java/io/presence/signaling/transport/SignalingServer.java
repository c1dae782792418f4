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
import io.presence.signaling.protocol.ServerMessage;
import io.presence.signaling.room.LiveServices;
import io.presence.signaling.room.RoomRegistry;
import io.presence.signaling.room.RoomSettings;
import io.presence.signaling.session.AuthProvider;
import io.presence.signaling.session.DevAuthProvider;
import io.presence.signaling.session.DevAuthWarning;
import io.presence.signaling.session.LiveMetrics;
import io.presence.signaling.session.SessionManager;
import io.presence.signaling.session.SignalingMetrics;
import io.presence.signaling.session.SignalingSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The signaling core as one object: WebSocket and TCP listeners, sessions, rooms and metrics. The composition root
 * builds it, {@link #start()}s it, and on shutdown calls {@link #drain()} then {@link #close()}.
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
    private final SignalingMetrics metrics;
    private final LiveMetrics liveMetrics;
    private final RoomRegistry rooms;
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

    /**
     * @param auth the authentication provider for {@code hello}; null = none. When
     *             {@link SignalingSettings#devAuthEnabled()} is set, the {@code dev} provider is tried after it.
     */
    public SignalingServer(SignalingSettings settings, NetStack net, MeterRegistry registry, AuthProvider auth) {
        this(settings, net, registry, auth, LiveServices.standalone());
    }

    /**
     * @param auth the authentication provider for {@code hello}; null = none
     * @param live what calls need: the credential minter (the in-process relay or an external coturn), the ICE
     *             URLs, credential lifetime, mesh cap and default privacy mode
     */
    public SignalingServer(SignalingSettings settings, NetStack net, MeterRegistry registry, AuthProvider auth,
                           LiveServices live) {
        this(settings, net, registry, auth, live, DEFAULT_CONNECTION_LIMITS);
    }

    /**
     * @param limits connections at once across the WebSocket, WSS and TCP listeners, in total and per source; the
     *               excess is reset at accept, before any byte is read
     */
    public SignalingServer(SignalingSettings settings, NetStack net, MeterRegistry registry, AuthProvider auth,
                           LiveServices live, ConnectionLimits limits) {
        this.gate = new ConnectionGate("signaling", limits, registry);
        this.settings = settings;
        this.net = net;
        this.metrics = new SignalingMetrics(registry);
        this.liveMetrics = new LiveMetrics(registry);
        this.rooms = new RoomRegistry(net.workers(), new RoomSettings(settings.membersPerRoom(),
                settings.historySize(), settings.typingTimeout()), Clock.systemUTC(), metrics, live, liveMetrics);
        AuthProvider effective = auth == null ? AuthProvider.NONE : auth;
        if (settings.devAuthEnabled()) {
            log.warn(DevAuthWarning.line(settings.wsHost(), settings.tcpHost()));
            effective = AuthProvider.chain(effective, new DevAuthProvider());
        }
        this.sessions = new SessionManager(settings, effective, rooms, metrics, System::nanoTime);
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
        Pipelines pipelines = new Pipelines(settings, sessions, metrics, tracker, tls);
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
        return rooms.size();
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
        rooms.clear();
        if (tls != null) {
            tls.close();
        }
        metrics.close();
        liveMetrics.close();
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
