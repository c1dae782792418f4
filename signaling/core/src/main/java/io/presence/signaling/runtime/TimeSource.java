package io.presence.signaling.runtime;

/**
 * The core's one source of time: wall-clock milliseconds for what goes on the wire (message timestamps), and a
 * monotonic nanosecond counter for rates and durations (token buckets, delivery latency). Injected, so that tests
 * can move time by hand together with a manual loop's timers.
 *
 * <p>Thread-safe.
 */
public interface TimeSource {

    /** The system clock and {@link System#nanoTime()}. */
    TimeSource SYSTEM = new TimeSource() {
        @Override
        public long millis() {
            return System.currentTimeMillis();
        }

        @Override
        public long nanos() {
            return System.nanoTime();
        }
    };

    /** Milliseconds since the epoch (UTC). */
    long millis();

    /** A monotonic counter in nanoseconds with an arbitrary origin; only differences mean anything. */
    long nanos();
}
