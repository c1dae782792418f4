package io.presence.signaling.session;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.presence.signaling.live.CandidateKind;
import io.presence.signaling.room.LiveStats;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The live-call meters, behind the verbs rooms call ({@link LiveStats}). Labels come from fixed sets: signal
 * kinds, candidate kinds, SDP rejection reasons — never a room, member or credential. Prometheus names are in
 * {@code metrics/README.md} ("Live calls").
 *
 * <p>Thread-safe. {@link #close()} removes the meters from the registry.
 */
public final class LiveMetrics implements LiveStats, AutoCloseable {
    private static final String P = "presence.live.";

    private final MeterRegistry registry;
    private final List<Meter> meters = new ArrayList<>();
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Counter> signals = new ConcurrentHashMap<>();
    private final AtomicLong participants = new AtomicLong();
    private final AtomicLong calls = new AtomicLong();

    public LiveMetrics(MeterRegistry registry) {
        this.registry = registry;
        meters.add(Gauge.builder(P + "call.participants", participants, AtomicLong::get)
                .description("Members in a room's call, across all rooms").register(registry));
        meters.add(Gauge.builder(P + "calls.active", calls, AtomicLong::get)
                .description("Rooms whose call has at least one participant").register(registry));
        // The families the calls dashboard reads exist from startup at zero, not from their first event.
        for (CandidateKind kind : CandidateKind.values()) {
            if (kind != CandidateKind.RELAY) {
                strippedCounter(kind.name().toLowerCase(Locale.ROOT));
            }
        }
        mintedCounter();
        refreshedCounter();
        revokedCounter();
    }

    public static LiveMetrics noop() {
        return new LiveMetrics(new CompositeMeterRegistry());
    }

    @Override
    public void participantJoined() {
        participants.incrementAndGet();
    }

    @Override
    public void participantLeft() {
        participants.decrementAndGet();
    }

    @Override
    public void callStarted() {
        calls.incrementAndGet();
    }

    @Override
    public void callEnded() {
        calls.decrementAndGet();
    }

    @Override
    public void signalRelayed(String kind) {
        // Once per relayed signal: looked up by the kind alone (a SignalKind wire constant, hash cached) instead of
        // a key string built per call.
        Counter c = signals.get(kind);
        if (c == null) {
            c = counter("signals", "WebRTC signals relayed to a call peer, by kind", "kind", kind);
            signals.put(kind, c);
        }
        c.increment();
    }

    @Override
    public void candidatesStripped(String kind, int count) {
        strippedCounter(kind).increment(count);
    }

    private Counter strippedCounter(String kind) {
        return counter("candidates.stripped", "ICE candidates removed by privacy mode (from SDP and trickle), by kind",
                "kind", kind);
    }

    @Override
    public void credentialsMinted() {
        mintedCounter().increment();
    }

    private Counter mintedCounter() {
        return counter("credentials.minted", "TURN credentials minted on joining a call", null, null);
    }

    @Override
    public void credentialsRefreshed() {
        refreshedCounter().increment();
    }

    private Counter refreshedCounter() {
        return counter("credentials.refreshed", "TURN credentials minted again (refresh request, rejoin, resume)",
                null, null);
    }

    @Override
    public void credentialsRevoked() {
        revokedCounter().increment();
    }

    private Counter revokedCounter() {
        return counter("credentials.revoked", "Call participants whose TURN credentials were revoked on leaving",
                null, null);
    }

    @Override
    public void iceRestartRequested() {
        counter("ice.restarts", "ICE restarts requested (restart signals and offers marked iceRestart)",
                null, null).increment();
    }

    @Override
    public void sdpRejected(String reason) {
        counter("sdp.rejected", "SDPs and candidates refused and not relayed, by reason", "reason", reason)
                .increment();
    }

    @Override
    public void close() {
        synchronized (meters) {
            for (Meter m : meters) {
                registry.remove(m);
            }
            meters.clear();
        }
        counters.clear();
        signals.clear();
    }

    private Counter counter(String name, String description, String tag, String value) {
        return counters.computeIfAbsent(name + '|' + value, k -> {
            Counter.Builder b = Counter.builder(P + name).description(description);
            if (tag != null) {
                b.tag(tag, value);
            }
            Counter c = b.register(registry);
            synchronized (meters) {
                meters.add(c);
            }
            return c;
        });
    }
}
