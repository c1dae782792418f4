package io.presence.signaling.runtime;

import java.time.Duration;

/**
 * A time source that moves only when a test moves it, shared by the {@link ManualLoop}s of one test. Starts at
 * 2023-11-14T22:13:20Z and at nanosecond counter 1,000,000,000.
 */
public final class ManualTime implements TimeSource {
    public static final long START_MILLIS = 1_700_000_000_000L;
    private long nanos = 1_000_000_000L;
    private final long originNanos = nanos;

    @Override
    public synchronized long millis() {
        return START_MILLIS + (nanos - originNanos) / 1_000_000;
    }

    @Override
    public synchronized long nanos() {
        return nanos;
    }

    /** Moves time without running anything; {@link ManualLoops#advance} also runs the timers that fall due. */
    synchronized void set(long nanos) {
        if (nanos < this.nanos) {
            throw new IllegalArgumentException("time does not go back");
        }
        this.nanos = nanos;
    }

    public void advance(Duration by) {
        set(nanos() + by.toNanos());
    }
}
