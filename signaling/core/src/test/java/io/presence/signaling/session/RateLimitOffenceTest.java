package io.presence.signaling.session;

import io.presence.net.TokenBucket;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A session's token bucket and rate-limit offence driven together on an injected clock, as SessionRequests does. */
class RateLimitOffenceTest {
    static final double RATE = 20;
    static final int BURST = 10;
    static final Duration CLOSE_AFTER = Duration.ofSeconds(2);

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final TokenBucket bucket = new TokenBucket(RATE, BURST, now.get());
    private final RateLimitOffence offence = new RateLimitOffence(RATE, CLOSE_AFTER, now::get);

    /** One request; true when it marks a sustained offender. */
    private boolean send() {
        return !bucket.tryTake(1, now.get()) && offence.refused();
    }

    /** Sends evenly at {@code perSecond} for at most {@code seconds}; returns the seconds until caught, or -1. */
    private double steady(double perSecond, double seconds) {
        long step = (long) (1e9 / perSecond);
        long start = now.get();
        for (long sent = 0; sent < perSecond * seconds; sent++) {
            if (send()) {
                return (now.get() - start) / 1e9;
            }
            now.addAndGet(step);
        }
        return -1;
    }

    @Test
    void twiceTheRateInSmallStepsIsCaughtCloseAfterItsFirstRefusal() {
        double caughtAfter = steady(2 * RATE, 60);
        // The burst lasts BURST / RATE seconds at twice the rate; the refusals then go on for CLOSE_AFTER.
        double expected = BURST / RATE + CLOSE_AFTER.toNanos() / 1e9;
        assertTrue(caughtAfter > 0, "never caught");
        assertEquals(expected, caughtAfter, 0.1, "caught after " + caughtAfter + " s");
    }

    @Test
    void threeTimesTheRateIsCaughtAsSoon() {
        double caughtAfter = steady(3 * RATE, 60);
        assertEquals(BURST / (2 * RATE) + CLOSE_AFTER.toNanos() / 1e9, caughtAfter, 0.1);
    }

    @Test
    void oneHugeBurstIsNeverCaughtOnItsOwn() {
        for (int i = 0; i < 1000 * BURST; i++) {
            assertFalse(send(), "burst request " + i);
        }
        now.addAndGet(CLOSE_AFTER.toNanos() * 10);
        assertFalse(send(), "the bucket refilled: a request long after the burst is fine");
    }

    @Test
    void oneBurstThenWithinTheRateIsNeverCaught() {
        for (int i = 0; i < BURST + 15; i++) {
            assertFalse(send(), "burst request " + i);
        }
        assertEquals(-1, steady(RATE / 2, 120));
        assertEquals(-1, steady(RATE, 120), "exactly at the rate");
    }

    @Test
    void upToAboutOneAndAHalfTimesTheRateIsRefusedInPartButNeverCaught() {
        assertEquals(-1, steady(1.4 * RATE, 300));
    }

    @Test
    void resetForgivesWhatWasOwed() {
        assertTrue(steady(2 * RATE, 60) > 0);
        offence.reset();
        assertFalse(offence.refused(), "a fresh offence after the offending connection was closed");
        assertEquals(CLOSE_AFTER.toNanos() / 1e9, steady(2 * RATE, 60), 0.1, "caught again after closeAfter");
    }
}
