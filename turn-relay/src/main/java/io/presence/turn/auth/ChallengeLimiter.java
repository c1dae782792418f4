package io.presence.turn.auth;

import java.net.InetAddress;
import java.util.Arrays;

/**
 * Bounds how many 401 (and 438) answers one source IP gets per second, port ignored: an unauthenticated
 * request is the one thing anyone can send, and its answer (REALM and NONCE) is larger than the request, so
 * without a bound the relay is a reflection amplifier. Over the rate, requests are dropped and counted.
 *
 * <p>Memory is fixed: a table of {@value #SLOTS} token buckets indexed by a hash of the IP. Two sources that
 * share a slot share a budget, which errs on the side of answering less — never more — and needs no eviction.
 *
 * <p>Thread-safe (the table is guarded by the limiter; this path is taken only for unauthenticated requests).
 */
public final class ChallengeLimiter {
    static final int SLOTS = 4096;

    private final double ratePerSecond;
    private final double burst;
    private final double[] tokens = new double[SLOTS];
    private final long[] lastNanos = new long[SLOTS];
    private final long seed = System.nanoTime();

    /**
     * @param ratePerSecond sustained 401s per source IP per second; 0 disables the limit
     * @param burst         bucket size (answers in a burst, e.g. many tabs of one NAT opening at once)
     */
    public ChallengeLimiter(double ratePerSecond, double burst) {
        this.ratePerSecond = ratePerSecond;
        this.burst = Math.max(1, burst);
        Arrays.fill(tokens, this.burst);
        Arrays.fill(lastNanos, Long.MIN_VALUE);
    }

    /** Whether a 401 may be sent to {@code source} now at {@code nowNanos}; consumes a token when so. */
    public synchronized boolean tryAcquire(InetAddress source, long nowNanos) {
        if (ratePerSecond <= 0) {
            return true;
        }
        int slot = slot(source);
        long last = lastNanos[slot];
        double t = tokens[slot];
        if (last != Long.MIN_VALUE) {
            t = Math.min(burst, t + (nowNanos - last) * ratePerSecond / 1e9);
        }
        lastNanos[slot] = nowNanos;
        if (t < 1) {
            tokens[slot] = t;
            return false;
        }
        tokens[slot] = t - 1;
        return true;
    }

    private int slot(InetAddress source) {
        byte[] b = source.getAddress();
        long h = seed;
        for (byte x : b) {
            h = (h ^ (x & 0xFF)) * 0x100000001B3L;
        }
        h ^= h >>> 29;
        return (int) (h & (SLOTS - 1));
    }
}
