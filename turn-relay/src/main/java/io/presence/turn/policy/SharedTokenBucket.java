package io.presence.turn.policy;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The server-wide bandwidth budget, shared by every event loop: tokens in an {@link AtomicLong}, refilled by
 * whichever thread notices time has passed. Lock-free; with the default of unlimited it is never touched.
 */
public final class SharedTokenBucket {
    private final long rate;
    private final AtomicLong tokens;
    private final AtomicLong last;

    /** @param bytesPerSecond 0 = unlimited */
    public SharedTokenBucket(long bytesPerSecond, long nowNanos) {
        this.rate = bytesPerSecond;
        this.tokens = new AtomicLong(bytesPerSecond);
        this.last = new AtomicLong(nowNanos);
    }

    public boolean unlimited() {
        return rate <= 0;
    }

    public boolean tryConsume(int bytes, long nowNanos) {
        if (rate <= 0) {
            return true;
        }
        long prev = last.get();
        long elapsed = nowNanos - prev;
        // Refill in whole milliseconds so that concurrent refills of tiny intervals do not lose precision.
        if (elapsed >= 1_000_000 && last.compareAndSet(prev, nowNanos)) {
            long add = elapsed * rate / 1_000_000_000L;
            tokens.getAndUpdate(t -> Math.min(rate, t + add));
        }
        while (true) {
            long t = tokens.get();
            if (t < bytes) {
                return false;
            }
            if (tokens.compareAndSet(t, t - bytes)) {
                return true;
            }
        }
    }
}
