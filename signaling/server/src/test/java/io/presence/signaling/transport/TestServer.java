package io.presence.signaling.transport;

import ch.qos.logback.classic.Level;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.presence.net.NetStack;
import io.presence.signaling.client.ClientOptions;
import io.presence.signaling.client.ClientRuntime;
import io.presence.signaling.client.ClientSession;
import io.presence.signaling.client.SignalingClient;
import io.presence.signaling.core.SignalingCore;
import io.presence.signaling.identity.AuthProvider;
import io.presence.signaling.session.SignalingSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A signaling server on loopback ephemeral ports with test-friendly settings, plus the clients made from it. */
public final class TestServer implements AutoCloseable {
    static {
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).setLevel(Level.WARN);
    }

    public final NetStack net;
    public final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    public final SignalingServer server;
    public final ClientRuntime clientRuntime = ClientRuntime.create(2);
    private final List<ClientSession> clients = new ArrayList<>();

    public TestServer(SignalingSettings settings) {
        this(settings, null);
    }

    public TestServer(SignalingSettings settings, AuthProvider auth) {
        this(settings, auth, io.presence.signaling.room.LiveServices.standalone());
    }

    public TestServer(SignalingSettings settings, AuthProvider auth, io.presence.signaling.room.LiveServices live) {
        net = NetStack.create(2, true);
        server = build(settings, net, registry, auth, live, SignalingServer.DEFAULT_CONNECTION_LIMITS);
        try {
            server.start();
        } catch (RuntimeException e) {
            clientRuntime.close();
            net.shutdown(Duration.ofSeconds(5));
            throw e;
        }
    }

    /** A server over a core built as the composition root builds it: on the stack's worker loops, system time. */
    public static SignalingServer build(SignalingSettings settings, NetStack net, MeterRegistry registry,
                                        AuthProvider auth, io.presence.signaling.room.LiveServices live,
                                        io.presence.net.ConnectionLimits limits) {
        NettyLoops loops = new NettyLoops(net.workers());
        SignalingCore core = SignalingCore.builder(settings).loops(loops).meters(registry).auth(auth).live(live)
                .build();
        return new SignalingServer(core, loops, net, registry, limits);
    }

    /** Loopback, ephemeral ports, dev auth on, short keepalive off the critical path. */
    public static SignalingSettings.Builder settings() {
        return SignalingSettings.builder()
                .ws("127.0.0.1", 0)
                .wssPort(0)
                .tcp("127.0.0.1", 0)
                .devAuthEnabled(true)
                .messageRate(10_000, 10_000)
                .ping(Duration.ofSeconds(5), Duration.ofSeconds(2));
    }

    public static TestServer start() {
        return new TestServer(settings().build());
    }

    public ClientOptions options(ClientOptions.Transport transport) {
        return transport == ClientOptions.Transport.WS ? ClientOptions.ws(server.webSocketAddress())
                : ClientOptions.tcp(server.tcpAddress());
    }

    public ClientSession client(ClientOptions.Transport transport) {
        return client(options(transport));
    }

    public ClientSession client(ClientOptions options) {
        ClientSession c = SignalingClient.builder().options(options).runtime(clientRuntime).build().connect();
        synchronized (clients) {
            clients.add(c);
        }
        return c;
    }

    /** A connected client with a fresh dev session. */
    public ClientSession session(ClientOptions.Transport transport, String name) {
        ClientSession c = client(transport);
        c.hello(name);
        return c;
    }

    public double gauge(String name, String... tags) {
        var search = registry.find(name).tags(tags);
        return search.gauge() == null ? Double.NaN : search.gauge().value();
    }

    public double counter(String name, String... tags) {
        var search = registry.find(name).tags(tags);
        return search.counter() == null ? 0 : search.counter().count();
    }

    @Override
    public void close() {
        synchronized (clients) {
            clients.forEach(ClientSession::close);
        }
        clientRuntime.close();
        server.close();
        net.shutdown(Duration.ofSeconds(5));
    }
}
