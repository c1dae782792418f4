package io.presence.turn;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import io.presence.net.NetStack;
import io.presence.net.TokenBucket;
import io.presence.stun.server.StunMetrics;
import io.presence.stun.server.StunServer;
import io.presence.turn.allocation.Allocation;
import io.presence.turn.allocation.AllocationManager;
import io.presence.turn.allocation.OwnHost;
import io.presence.turn.allocation.RelayContext;
import io.presence.turn.allocation.RelayPorts;
import io.presence.turn.auth.ChallengeLimiter;
import io.presence.turn.auth.Nonces;
import io.presence.turn.auth.RestCredentials;
import io.presence.turn.auth.Revocations;
import io.presence.turn.auth.TurnCredentials;
import io.presence.turn.config.RoomPolicy;
import io.presence.turn.config.TurnSettings;
import io.presence.turn.handler.RelayAddresses;
import io.presence.turn.handler.TurnDispatcher;
import io.presence.turn.metrics.TurnMetrics;
import io.presence.turn.policy.PeerPolicy;
import io.presence.turn.transport.PeerSockets;
import io.presence.turn.transport.RelaySockets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The TURN relay (RFC 8656, RFC 6156) on the STUN port: the one component the appliance wires in.
 *
 * <pre>{@code
 * TurnServer turn = new TurnServer(settings, netStack, registry, Clock.systemUTC()).start();
 * TurnCredentials c = turn.control().mint("room-1", "alice", Duration.ofHours(1));
 * ...
 * turn.close();
 * }</pre>
 *
 * <p>It runs a {@link StunServer} (Binding is answered there) with TURN plugged in as its extension, on the
 * shared {@link NetStack}'s event loops: no thread of its own. Lifetimes are checked by one periodic sweep on
 * an event loop (no timer per allocation, permission or channel); all timestamps come from the injected
 * {@link Clock}.
 *
 * <p>Thread-safe. {@link #start()} once; {@link #close()} is idempotent, releases every socket and the sweep,
 * and waits (bounded) until the relay ports are free — so do not call it from an event loop.
 */
public final class TurnServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TurnServer.class);
    /** How often lifetimes are checked; expiry is also checked lazily on every use, so this only frees memory. */
    static final Duration SWEEP_INTERVAL = Duration.ofSeconds(1);

    private final TurnSettings settings;
    private final NetStack net;
    private final MeterRegistry registry;
    private final Clock clock;
    private final TurnMetrics metrics;
    private final RestCredentials credentials;
    private final Revocations revocations;
    private final PeerPolicy policy;
    private final OwnHost ownHost;
    private final RelayPorts ports;
    private final AllocationManager manager;
    private final Control control = new Control();
    private StunServer stun;
    private ScheduledFuture<?> sweep;
    private boolean started;
    private boolean closed;

    /**
     * @throws IllegalArgumentException when the settings cannot work (no secret)
     */
    public TurnServer(TurnSettings settings, NetStack net, MeterRegistry registry, Clock clock) {
        if (settings.secrets().isEmpty()) {
            throw new IllegalArgumentException("turn.secrets: at least one secret is required");
        }
        this.settings = settings;
        this.net = net;
        this.registry = registry;
        this.clock = clock;
        this.metrics = new TurnMetrics(registry);
        this.credentials = new RestCredentials(settings.secrets(), settings.realm(), settings.maxCredentialTtl(), clock);
        this.revocations = new Revocations(settings.maxCredentialTtl(), clock);
        this.policy = new PeerPolicy(settings.allowPeers(), settings.denyPeers(), List.of());
        this.ownHost = new OwnHost(settings.allowLoopbackPeers(), settings.relayPortMin(), settings.relayPortMax());
        this.ports = new RelayPorts(settings.relayPortMin(), settings.relayPortMax());
        long totalRate = settings.quotas().bandwidthTotal();
        RelayContext ctx = new RelayContext(settings, clock, metrics, policy,
                new TokenBucket.Shared(totalRate, totalRate, System.nanoTime()), ownHost);
        RelaySockets sockets = new RelaySockets(net, new PeerSockets(settings.peerSockets(), metrics.peerSockets()));
        this.manager = new AllocationManager(ctx, sockets, ports);
    }

    /** Binds the STUN/TURN port (UDP, TCP, and TLS when configured). Blocks until bound; throws on failure. */
    public synchronized TurnServer start() {
        if (started) {
            throw new IllegalStateException("already started");
        }
        started = true;
        RelayAddresses relay = RelayAddresses.of(settings);
        // Before the port opens: a permission judges its IP once, when it is made.
        ownHost.addresses(hostAddresses(), relayIps(relay));
        TurnDispatcher dispatcher = new TurnDispatcher(settings, manager, credentials,
                new Nonces(settings.nonceLifetime(), clock), revocations,
                new ChallengeLimiter(settings.unauthenticatedRate(), settings.unauthenticatedBurst()),
                policy, relay, metrics);
        stun = new StunServer(settings.listener(), net, new StunMetrics(registry), dispatcher).start();
        List<InetSocketAddress> own = new ArrayList<>();
        own.add(stun.udpAddress());
        if (stun.tcpAddress() != null) {
            own.add(stun.tcpAddress());
        }
        stun.tlsAddress().ifPresent(own::add);
        policy.ownAddresses(own);
        sweep = net.workers().next().scheduleAtFixedRate(this::sweep,
                SWEEP_INTERVAL.toMillis(), SWEEP_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        log.info("TURN relay on udp {} tcp {}{}, relay {} ports {}-{}{}", stun.udpAddress(),
                stun.tcpAddress() == null ? "off" : stun.tcpAddress(),
                stun.tlsAddress().map(a -> " tls " + a).orElse(""), relay.advertisedV4().getHostAddress(),
                settings.relayPortMin(), settings.relayPortMax(),
                relay.advertisedV6().map(a -> " and " + a.getHostAddress()).orElse(""));
        return this;
    }

    /** This host's addresses: every interface's and the listener's (when it names one). */
    private List<InetAddress> hostAddresses() {
        List<InetAddress> host = new ArrayList<>(OwnHost.interfaceAddresses());
        try {
            host.add(InetAddress.getByName(settings.listener().bindHost()));
        } catch (UnknownHostException e) {
            // The listener cannot bind either; its start reports that.
        }
        return host;
    }

    /** The addresses relay sockets bind to and advertise, both families. */
    private static List<InetAddress> relayIps(RelayAddresses relay) {
        List<InetAddress> ips = new ArrayList<>();
        ips.add(relay.bindV4().getAddress());
        ips.add(relay.advertisedV4());
        relay.bindV6().ifPresent(a -> ips.add(a.getAddress()));
        relay.advertisedV6().ifPresent(ips::add);
        return ips;
    }

    private void sweep() {
        try {
            manager.sweep();
            revocations.purge();
        } catch (RuntimeException e) {
            log.warn("TURN housekeeping failed", e);
        }
    }

    /** Runs housekeeping now (tests with an injected clock). */
    void sweepNow() {
        sweep();
    }

    public synchronized InetSocketAddress udpAddress() {
        return stun.udpAddress();
    }

    public synchronized InetSocketAddress tcpAddress() {
        return stun.tcpAddress();
    }

    public synchronized Optional<InetSocketAddress> tlsAddress() {
        return stun.tlsAddress();
    }

    public TurnSettings settings() {
        return settings;
    }

    /** The in-process control API for the signaling side. */
    public RelayControl control() {
        return control;
    }

    /** No new allocations from now on (Allocate gets 508); existing ones keep relaying until they end. */
    public void stopAccepting() {
        manager.stopAccepting();
    }

    /** The event loop of the live allocation relayed at {@code relay}, or null (for tests of cross-loop paths). */
    EventLoop allocationLoop(InetSocketAddress relay) {
        Allocation a = manager.relayTarget(relay);
        return a == null ? null : a.eventLoop();
    }

    public int activeAllocations() {
        return manager.size();
    }

    TurnMetrics metrics() {
        return metrics;
    }

    AllocationManager manager() {
        return manager;
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            if (sweep != null) {
                sweep.cancel(false);
            }
        }
        manager.closeAll();
        if (stun != null) {
            stun.close();
        }
        // Allocations release their sockets on their event loops; wait (bounded) so that close() returning means
        // the ports are free.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (manager.size() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        manager.closeParked();
    }

    private final class Control implements RelayControl {
        @Override
        public TurnCredentials mint(String room, String participant, Duration ttl) {
            if (revocations.isParticipantRevoked(room, participant)) {
                throw new IllegalStateException("participant or room is revoked; use a new participant id");
            }
            return credentials.mint(room, participant, ttl);
        }

        @Override
        public int revokeParticipant(String room, String participant) {
            revocations.revokeParticipant(room, participant);
            return manager.closeWhere(a -> a.user().room().equals(room) && a.user().participant().equals(participant));
        }

        @Override
        public int revokeRoom(String room) {
            revocations.revokeRoom(room);
            manager.forgetRoom(room);
            return manager.closeWhere(a -> a.user().room().equals(room));
        }

        @Override
        public void setRoomPolicy(String room, RoomPolicy roomPolicy) {
            manager.setRoomPolicy(room, roomPolicy);
        }

        @Override
        public boolean isRoomAllocation(String room, InetSocketAddress relayed) {
            Allocation a = manager.relayTarget(relayed);
            return a != null && !a.expired(clock.millis()) && a.user().room().equals(room);
        }

        @Override
        public RelayStats stats() {
            return new RelayStats(manager.size(), metrics.activePermissions(), metrics.activeChannels(),
                    ports.inUse(), ports.size(), !manager.isStopped());
        }
    }
}
