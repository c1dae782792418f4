package io.presence.signaling.invite;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.presence.signaling.storage.InviteKind;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The invite meters. Labels are bounded: {@code kind} is one of the three kinds, {@code reason} one of
 * {@link #REASONS}. An expired invite is counted when it is presented (redeemed, accepted): expiry needs no
 * sweeper, and an invite nobody presents after it expired did no harm worth a count.
 *
 * <p>Thread-safe. {@link #close()} removes the meters.
 */
public final class InviteMetrics implements AutoCloseable {
    /**
     * Invites created. Not {@code presence.invites.created}: {@code _created} is a reserved suffix in OpenMetrics,
     * which the Prometheus exposition drops, leaving {@code presence_invites_total}.
     */
    static final String CREATED = "presence.invites.issued";
    static final String REDEEMED = "presence.invites.redeemed";
    static final String REVOKED = "presence.invites.revoked";
    static final String EXPIRED = "presence.invites.expired";
    static final String REJECTED = "presence.invites.rejected";
    static final String[] REASONS = {"expired", "used", "revoked", "unknown", "forbidden"};

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    public InviteMetrics(MeterRegistry registry) {
        this.registry = registry;
        // Present from startup at zero, so that an alert on their rate can fire on the first event.
        for (InviteKind kind : InviteKind.values()) {
            counter(CREATED, "Invites created", "kind", kind.wire());
            counter(REDEEMED, "Invite redemptions let through (guest sign-ins, invite.redeem, invite.accept)",
                    "kind", kind.wire());
        }
        counter(REVOKED, "Invites revoked: by an owner or admin, declined, or replaced by a newer public invite",
                null, null);
        counter(EXPIRED, "Expired invites presented for redemption", null, null);
        for (String reason : REASONS) {
            counter(REJECTED, "Invite redemptions refused, by reason", "reason", reason);
        }
    }

    /** Meters going nowhere: for tests and tools. */
    public static InviteMetrics noop() {
        return new InviteMetrics(new CompositeMeterRegistry());
    }

    void created(InviteKind kind) {
        counter(CREATED, null, "kind", kind.wire()).increment();
    }

    void redeemed(InviteKind kind) {
        counter(REDEEMED, null, "kind", kind.wire()).increment();
    }

    void revoked(int count) {
        counter(REVOKED, null, null, null).increment(count);
    }

    /** A redemption refused; {@code reason} is one of {@link #REASONS}. */
    void rejected(String reason) {
        if (reason.equals("expired")) {
            counter(EXPIRED, null, null, null).increment();
        }
        counter(REJECTED, null, "reason", reason).increment();
    }

    private Counter counter(String name, String description, String tag, String value) {
        return counters.computeIfAbsent(name + '|' + value, k -> {
            Counter.Builder b = Counter.builder(name).description(description);
            if (tag != null) {
                b.tag(tag, value);
            }
            return b.register(registry);
        });
    }

    @Override
    public void close() {
        for (Counter c : counters.values()) {
            registry.remove(c);
        }
        counters.clear();
    }
}
