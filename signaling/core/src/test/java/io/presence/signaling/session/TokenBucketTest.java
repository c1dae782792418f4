package io.presence.signaling.session;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenBucketTest {
    @Test
    void burstThenSustainedRateOnAnInjectedClock() {
        AtomicLong now = new AtomicLong();
        TokenBucket bucket = new TokenBucket(2, 3, now::get);
        assertTrue(bucket.tryTake());
        assertTrue(bucket.tryTake());
        assertTrue(bucket.tryTake());
        assertFalse(bucket.tryTake());
        now.addAndGet(499_000_000L);
        assertFalse(bucket.tryTake(), "not yet a whole token");
        now.addAndGet(1_000_000L);
        assertTrue(bucket.tryTake());
        assertFalse(bucket.tryTake());
        now.addAndGet(60_000_000_000L);
        for (int i = 0; i < 3; i++) {
            assertTrue(bucket.tryTake(), "refilled up to capacity");
        }
        assertFalse(bucket.tryTake(), "never beyond capacity");
    }
}
