package io.presence.turn.auth;

import io.presence.net.TokenBucket;

import java.net.InetAddress;

/**
 * Bounds how many 401 (and 438) answers one source IP gets per second, port ignored: an unauthenticated
 * request is the one thing anyone can send, and its answer (REALM and NONCE) is larger than the request, so
 * without a bound the relay is a reflection amplifier. Over the rate, requests are dropped and counted.
 *
 * <p>Memory is bounded: a table of {@value #SLOTS} token buckets ({@link TokenBucket}) indexed by a hash of the IP.
 * Two sources that share a slot share a budget, which errs on the side of answering less — never more — and needs no
 * eviction.
 *
 * <p>Thread-safe (the table is guarded by the limiter; this path is taken only for unauthenticated requests).
 */
public final class ChallengeLimiter {
    static final int SLOTS = 4096;

    private final double ratePerSecond;
    private final double burst;
    // A slot's bucket is made, full, at its first use: a slot never used costs a null reference.
    private final TokenBucket[] buckets = new TokenBucket[SLOTS];
    private final long seed = System.nanoTime();

    /**
     * @param ratePerSecond sustained 401s per source IP per second; 0 disables the limit
     * @param burst         bucket size (answers in a burst, e.g. many tabs of one NAT opening at once)
     */
    public ChallengeLimiter(double ratePerSecond, double burst) {
        this.ratePerSecond = ratePerSecond;
        this.burst = Math.max(1, burst);
    }

    /** Whether a 401 may be sent to {@code source} now at {@code nowNanos}; consumes a token when so. */
    public synchronized boolean tryAcquire(InetAddress source, long nowNanos) {
        if (ratePerSecond <= 0) {
            return true;
        }
        int slot = slot(source);
        TokenBucket b = buckets[slot];
        if (b == null) {
            b = new TokenBucket(ratePerSecond, burst, nowNanos);
            buckets[slot] = b;
        }
        return b.tryTake(1, nowNanos);
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
