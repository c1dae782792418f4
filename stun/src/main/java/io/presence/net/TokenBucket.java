package io.presence.net;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A token bucket: at most {@code capacity} tokens, refilled at {@code perSecond} tokens a second, on a nanosecond
 * clock that the caller reads ({@link System#nanoTime()} in production, a counter in tests) and passes to
 * {@link #tryTake}, so that one reading can charge several buckets. A rate of zero or less is unlimited: every take
 * succeeds and the state is never touched.
 *
 * <p>Not thread-safe: one owner (a session's event loop, a limiter's monitor). {@link Shared} is the lock-free variant
 * for a budget charged from several event loops at once. Both refill with {@link #earned}.
 */
public final class TokenBucket {
    private final double perNano;
    private final double capacity;
    private double tokens;
    private long last;

    /**
     * A full bucket.
     *
     * @param perSecond tokens added per second; zero or less = unlimited
     * @param capacity  most tokens held (the burst)
     * @param nowNanos  the clock's reading now
     */
    public TokenBucket(double perSecond, double capacity, long nowNanos) {
        this.perNano = perSecond / 1e9;
        this.capacity = capacity;
        this.tokens = capacity;
        this.last = nowNanos;
    }

    public boolean unlimited() {
        return perNano <= 0;
    }

    /** Takes {@code n} tokens when the bucket holds them at {@code nowNanos}; false, taking none, when it does not. */
    public boolean tryTake(long n, long nowNanos) {
        if (perNano <= 0) {
            return true;
        }
        long elapsed = nowNanos - last;
        if (elapsed > 0) {
            tokens = Math.min(capacity, tokens + earned(elapsed, perNano));
            last = nowNanos;
        }
        if (tokens < n) {
            return false;
        }
        tokens -= n;
        return true;
    }

    /** The one refill rule: tokens earned over {@code elapsedNanos} at {@code perNano} tokens a nanosecond. */
    static double earned(long elapsedNanos, double perNano) {
        return elapsedNanos * perNano;
    }

    /**
     * The thread-safe variant, lock-free: whole tokens in an {@link AtomicLong}, refilled by whichever thread notices
     * that a millisecond or more has passed (whole milliseconds, so that concurrent refills of tiny intervals do not
     * each round their few tokens away). For budgets charged from several event loops: a relay allocation's (its own
     * loop, and the loops of allocations handing datagrams over to it) and the server's total.
     */
    public static final class Shared {
        private static final long REFILL_NANOS = 1_000_000;

        private final double perNano;
        private final long capacity;
        private final AtomicLong tokens;
        private final AtomicLong last;

        /** A full bucket; arguments as {@link TokenBucket#TokenBucket}. */
        public Shared(double perSecond, long capacity, long nowNanos) {
            this.perNano = perSecond / 1e9;
            this.capacity = capacity;
            this.tokens = new AtomicLong(capacity);
            this.last = new AtomicLong(nowNanos);
        }

        public boolean unlimited() {
            return perNano <= 0;
        }

        /** As {@link TokenBucket#tryTake}; any thread. */
        public boolean tryTake(long n, long nowNanos) {
            if (perNano <= 0) {
                return true;
            }
            long prev = last.get();
            long elapsed = nowNanos - prev;
            if (elapsed >= REFILL_NANOS && last.compareAndSet(prev, nowNanos)) {
                long add = (long) earned(elapsed, perNano);
                long t;
                do {
                    t = tokens.get();
                } while (!tokens.compareAndSet(t, Math.min(capacity, t + add)));
            }
            while (true) {
                long t = tokens.get();
                if (t < n) {
                    return false;
                }
                if (tokens.compareAndSet(t, t - n)) {
                    return true;
                }
            }
        }
    }
}
