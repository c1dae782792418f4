package io.presence.signaling.session;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Tells a sustained rate-limit offender from a client that bursted once, by how long its refusals go on without
 * letup. Every refusal adds one to what the session owes, which drains at half the message rate; an offence lasts
 * from the refusal that found nothing owed until the debt drains to zero again. A refusal in an offence that has
 * lasted {@code closeAfter} marks the session as a sustained offender.
 *
 * <p>Why this shape: a client over its rate still gets most requests through (the bucket refills), so a count of
 * refusals in a row restarts at every refill and never ends. Draining at half the rate means that a client sending
 * at twice its rate (one refusal per token's time once its burst is spent) owes more and more and is caught
 * {@code closeAfter} after its first refusal, while a client at up to about 1.5 times its rate pays its debt off
 * between refusals. A single burst, however large, is refused in part and never closed: its offence is over when
 * the client stops.
 *
 * <p>Not thread-safe: owned by one session's loop, like its {@link io.presence.net.TokenBucket}.
 */
final class RateLimitOffence {
    private final double drainPerNano;
    private final long closeAfterNanos;
    private final LongSupplier nanoClock;
    private double owed;
    private long last;
    private long since;

    RateLimitOffence(double messagesPerSecond, Duration closeAfter, LongSupplier nanoClock) {
        this.drainPerNano = messagesPerSecond / 2 / 1e9;
        this.closeAfterNanos = closeAfter.toNanos();
        this.nanoClock = nanoClock;
        this.last = nanoClock.getAsLong();
    }

    /** Records one refusal; true when it continues an offence that has lasted {@code closeAfter}. */
    boolean refused() {
        long now = nanoClock.getAsLong();
        owed -= (now - last) * drainPerNano;
        last = now;
        if (owed <= 0) {
            owed = 0;
            since = now;
        }
        owed += 1;
        return now - since >= closeAfterNanos;
    }

    /** Forgives everything owed: the offending connection was closed. */
    void reset() {
        owed = 0;
    }
}
