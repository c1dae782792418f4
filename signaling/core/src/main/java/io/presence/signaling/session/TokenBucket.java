package io.presence.signaling.session;

import java.util.function.LongSupplier;

/** A token bucket over an injectable nanosecond clock. Not thread-safe: owned by one session's loop. */
public final class TokenBucket {
    private final double perNano;
    private final double capacity;
    private final LongSupplier nanoClock;
    private double tokens;
    private long last;

    public TokenBucket(double perSecond, int capacity, LongSupplier nanoClock) {
        this.perNano = perSecond / 1e9;
        this.capacity = capacity;
        this.nanoClock = nanoClock;
        this.tokens = capacity;
        this.last = nanoClock.getAsLong();
    }

    public boolean tryTake() {
        long now = nanoClock.getAsLong();
        tokens = Math.min(capacity, tokens + (now - last) * perNano);
        last = now;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
