package io.presence.turn.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.presence.stun.server.StunTransport;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The relay's meters, registered eagerly so every series exists from the start (at zero). Callers use verbs;
 * they never see a meter. Labels are bounded enums only (transport, reason, direction, method, result) —
 * never a room, user or credential. Counters move as things happen (coturn only updates traffic counters
 * when a session ends). The full list is in {@code turn-relay/README.md}.
 *
 * <p>Thread-safe; {@link #noop()} records nothing so hot paths need no null checks.
 */
public final class TurnMetrics {

    /** Why an Allocate failed. */
    public enum AllocationFailure {
        BAD_REQUEST, ALLOCATION_MISMATCH, UNSUPPORTED_TRANSPORT, ADDRESS_FAMILY, QUOTA, CAPACITY, STOPPED;
        final String label = name().toLowerCase(Locale.ROOT);
    }

    /** Why an authenticated-looking request was refused. */
    public enum AuthFailure {
        BAD_INTEGRITY, EXPIRED, REVOKED, MALFORMED_USERNAME, STALE_NONCE, WRONG_CREDENTIALS, MISSING_ATTRIBUTES,
        BEYOND_MAX_TTL;
        final String label = name().toLowerCase(Locale.ROOT);
    }

    /**
     * Why a peer address was refused (CreatePermission, ChannelBind, a send, or a datagram received): a default deny
     * range, the configured deny list, this host's own address (not a relay allocation), another room's relay address
     * (or a relay port where the room has none), or a relay port where an allocation of the sender's own room closed
     * lately ({@code allocation_gone}: the end of a call, not an attack).
     */
    public enum PeerDenial {
        DEFAULT_RANGE, CONFIG, OWN_ADDRESS, ROOM_SCOPE, ALLOCATION_GONE;
        final String label = name().toLowerCase(Locale.ROOT);
    }

    /** Why a packet was dropped on the relay path. */
    public enum Drop {
        NO_ALLOCATION, NO_PERMISSION, NO_CHANNEL, PEER_DENIED, BANDWIDTH, MALFORMED, UNKNOWN_ATTRIBUTE, TOO_LARGE;
        final String label = name().toLowerCase(Locale.ROOT);
    }

    public enum Direction {
        TO_PEER, TO_CLIENT;
        final String label = name().toLowerCase(Locale.ROOT);
    }

    /** The four TURN request methods, a bounded label. */
    public enum Request {
        ALLOCATE, REFRESH, CREATE_PERMISSION, CHANNEL_BIND;
        final String label = name().toLowerCase(Locale.ROOT);
    }

    private static final StunTransport[] TRANSPORTS = StunTransport.values();

    private final AtomicInteger[] active = new AtomicInteger[TRANSPORTS.length];
    private final Counter[] created = new Counter[TRANSPORTS.length];
    private final Counter[] failed = new Counter[AllocationFailure.values().length];
    private final Counter[] authFailures = new Counter[AuthFailure.values().length];
    private final Counter challengesSent;
    private final Counter challengesLimited;
    private final Counter[] peersDenied = new Counter[PeerDenial.values().length];
    private final AtomicInteger permissions = new AtomicInteger();
    private final AtomicInteger channels = new AtomicInteger();
    private final AtomicInteger peerSockets = new AtomicInteger();
    private final Counter[] packets = new Counter[Direction.values().length];
    private final Counter[] bytes = new Counter[Direction.values().length];
    private final Counter handoffs;
    private final Counter[] drops = new Counter[Drop.values().length];
    private final Counter[][] responses = new Counter[Request.values().length][2];
    private final DistributionSummary lifetime;

    public TurnMetrics(MeterRegistry registry) {
        for (StunTransport t : TRANSPORTS) {
            AtomicInteger a = new AtomicInteger();
            active[t.ordinal()] = a;
            Gauge.builder("turn.allocations.active", a, AtomicInteger::get)
                    .description("Live TURN allocations, by client transport")
                    .tag("transport", t.label()).register(registry);
            created[t.ordinal()] = Counter.builder("turn.allocations.created")
                    .description("TURN allocations created, by client transport")
                    .tag("transport", t.label()).register(registry);
        }
        for (AllocationFailure f : AllocationFailure.values()) {
            failed[f.ordinal()] = Counter.builder("turn.allocations.failed")
                    .description("Allocate requests refused after authentication, by reason")
                    .tag("reason", f.label).register(registry);
        }
        for (AuthFailure f : AuthFailure.values()) {
            authFailures[f.ordinal()] = Counter.builder("turn.auth.failures")
                    .description("Requests refused by the long-term credential check, by reason")
                    .tag("reason", f.label).register(registry);
        }
        challengesSent = Counter.builder("turn.auth.challenges")
                .description("401 and 438 answers to unauthenticated requests, sent or dropped by the per-IP rate limit")
                .tag("result", "sent").register(registry);
        challengesLimited = Counter.builder("turn.auth.challenges")
                .description("401 and 438 answers to unauthenticated requests, sent or dropped by the per-IP rate limit")
                .tag("result", "rate_limited").register(registry);
        for (PeerDenial d : PeerDenial.values()) {
            peersDenied[d.ordinal()] = Counter.builder("turn.peers.denied")
                    .description("Peer addresses refused by the peer rules (permissions, channels, sends and received datagrams), by reason")
                    .tag("reason", d.label).register(registry);
        }
        Gauge.builder("turn.permissions.active", permissions, AtomicInteger::get)
                .description("Installed TURN permissions").register(registry);
        Gauge.builder("turn.channels.active", channels, AtomicInteger::get)
                .description("Bound TURN channels").register(registry);
        Gauge.builder("turn.peer.sockets", peerSockets, AtomicInteger::get)
                .description("Allocations with a socket of their relay address connected to their peer").register(registry);
        for (Direction d : Direction.values()) {
            packets[d.ordinal()] = Counter.builder("turn.relayed.packets")
                    .description("Datagrams relayed, by direction (to_peer: client to peer; to_client: peer to client)")
                    .tag("direction", d.label).register(registry);
            bytes[d.ordinal()] = Counter.builder("turn.relayed.bytes").baseUnit("bytes")
                    .description("Application payload bytes relayed, by direction")
                    .tag("direction", d.label).register(registry);
        }
        handoffs = Counter.builder("turn.handoffs")
                .description("Datagrams handed from one allocation to another in process, without the kernel")
                .register(registry);
        for (Drop d : Drop.values()) {
            drops[d.ordinal()] = Counter.builder("turn.drops")
                    .description("Datagrams dropped on the relay path, by reason")
                    .tag("reason", d.label).register(registry);
        }
        for (Request r : Request.values()) {
            responses[r.ordinal()][0] = Counter.builder("turn.responses")
                    .description("TURN responses sent, by method and result")
                    .tag("method", r.label).tag("result", "success").register(registry);
            responses[r.ordinal()][1] = Counter.builder("turn.responses")
                    .description("TURN responses sent, by method and result")
                    .tag("method", r.label).tag("result", "error").register(registry);
        }
        lifetime = DistributionSummary.builder("turn.allocation.lifetime").baseUnit("seconds")
                .description("How long allocations lived, from Allocate to deletion or expiry")
                .serviceLevelObjectives(1, 10, 60, 300, 600, 1800, 3600, 7200)
                .register(registry);
    }

    public static TurnMetrics noop() {
        return new TurnMetrics(new CompositeMeterRegistry());
    }

    public void allocationCreated(StunTransport transport) {
        created[transport.ordinal()].increment();
        active[transport.ordinal()].incrementAndGet();
    }

    public void allocationClosed(StunTransport transport, double livedSeconds) {
        active[transport.ordinal()].decrementAndGet();
        lifetime.record(livedSeconds);
    }

    public void allocationFailed(AllocationFailure reason) {
        failed[reason.ordinal()].increment();
    }

    public void authFailure(AuthFailure reason) {
        authFailures[reason.ordinal()].increment();
    }

    public void challengeSent() {
        challengesSent.increment();
    }

    public void challengeRateLimited() {
        challengesLimited.increment();
    }

    public void peerDenied(PeerDenial reason) {
        peersDenied[reason.ordinal()].increment();
    }

    public void permissionsChanged(int delta) {
        permissions.addAndGet(delta);
    }

    public void channelsChanged(int delta) {
        channels.addAndGet(delta);
    }

    public void relayed(Direction direction, int payloadBytes) {
        packets[direction.ordinal()].increment();
        bytes[direction.ordinal()].increment(payloadBytes);
    }

    public void handoff() {
        handoffs.increment();
    }

    public void drop(Drop reason) {
        drops[reason.ordinal()].increment();
    }

    public void response(Request method, boolean success) {
        responses[method.ordinal()][success ? 0 : 1].increment();
    }

    /** Live allocations over all transports. */
    public int activeAllocations() {
        int n = 0;
        for (AtomicInteger a : active) {
            n += a.get();
        }
        return n;
    }

    public int activePermissions() {
        return permissions.get();
    }

    public int activeChannels() {
        return channels.get();
    }

    /** The count of open peer sockets, which {@code transport.PeerSockets} keeps. */
    public AtomicInteger peerSockets() {
        return peerSockets;
    }
}
