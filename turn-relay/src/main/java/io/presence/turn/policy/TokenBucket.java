package io.presence.turn.policy;

/**
 * Bytes per second with one second of burst. An allocation's bucket is charged on the allocation's event loop
 * and, for in-process hand-offs from allocations on other loops, on theirs: thread-safe by a monitor, which is
 * uncontended in practice (and cheap then). {@link SharedTokenBucket} is the server-wide one.
 */
public final class TokenBucket {
    private final double rate;
    private final double capacity;
    private double tokens;
    private long last;

    /** @param bytesPerSecond 0 = unlimited */
    public TokenBucket(long bytesPerSecond, long nowNanos) {
        this.rate = bytesPerSecond;
        this.capacity = bytesPerSecond;
        this.tokens = bytesPerSecond;
        this.last = nowNanos;
    }

    public boolean unlimited() {
        return rate <= 0;
    }

    /** Takes {@code bytes} tokens when available. */
    public synchronized boolean tryConsume(int bytes, long nowNanos) {
        if (rate <= 0) {
            return true;
        }
        long elapsed = nowNanos - last;
        if (elapsed > 0) {
            tokens = Math.min(capacity, tokens + elapsed * rate / 1e9);
            last = nowNanos;
        }
        if (tokens < bytes) {
            return false;
        }
        tokens -= bytes;
        return true;
    }
}
