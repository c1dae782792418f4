package io.presence.signaling.transport;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polls a condition with a deadline: tests wait for effects, never sleep for fixed times. */
public final class Await {
    private Await() {
    }

    public static void until(Duration timeout, BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
    }
}
