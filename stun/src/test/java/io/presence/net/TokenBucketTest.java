package io.presence.net;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenBucketTest {
    private static final long MS = 1_000_000L;

    @Test
    void burstThenSustainedRateOnTheCallersClock() {
        long now = 0;
        TokenBucket bucket = new TokenBucket(2, 3, now);
        assertTrue(bucket.tryTake(1, now));
        assertTrue(bucket.tryTake(1, now));
        assertTrue(bucket.tryTake(1, now));
        assertFalse(bucket.tryTake(1, now));
        now += 499 * MS;
        assertFalse(bucket.tryTake(1, now), "not yet a whole token");
        now += MS;
        assertTrue(bucket.tryTake(1, now));
        assertFalse(bucket.tryTake(1, now));
        now += 60_000 * MS;
        for (int i = 0; i < 3; i++) {
            assertTrue(bucket.tryTake(1, now), "refilled up to capacity");
        }
        assertFalse(bucket.tryTake(1, now), "never beyond capacity");
    }

    @Test
    void takesSeveralTokensAtOnceOrNone() {
        TokenBucket bytes = new TokenBucket(1000, 1000, 0);
        assertTrue(bytes.tryTake(600, 0));
        assertFalse(bytes.tryTake(600, 0), "400 left: a take of 600 fails whole");
        assertTrue(bytes.tryTake(400, 0), "and took nothing");
        assertTrue(bytes.tryTake(100, 100 * MS), "100 ms earn 100 tokens");
        assertFalse(bytes.tryTake(1, 100 * MS));
    }

    @Test
    void aClockGoingBackwardsEarnsNothing() {
        TokenBucket bucket = new TokenBucket(1, 1, 10 * MS);
        assertTrue(bucket.tryTake(1, 10 * MS));
        assertFalse(bucket.tryTake(1, 0));
    }

    @Test
    void zeroRateIsUnlimited() {
        TokenBucket none = new TokenBucket(0, 0, 0);
        assertTrue(none.unlimited());
        assertTrue(none.tryTake(Long.MAX_VALUE, 0));
        TokenBucket.Shared shared = new TokenBucket.Shared(0, 0, 0);
        assertTrue(shared.unlimited());
        assertTrue(shared.tryTake(Long.MAX_VALUE, 0));
        assertFalse(new TokenBucket(1, 1, 0).unlimited());
    }

    @Test
    void sharedBucketRefillsInWholeMillisecondsUpToItsCapacity() {
        TokenBucket.Shared bucket = new TokenBucket.Shared(1_000_000, 1_000_000, 0);
        assertTrue(bucket.tryTake(1_000_000, 0));
        assertFalse(bucket.tryTake(1, 0));
        assertFalse(bucket.tryTake(1, MS - 1), "less than a millisecond: no refill yet");
        assertTrue(bucket.tryTake(1000, MS), "a millisecond earns 1000");
        assertFalse(bucket.tryTake(1, MS));
        assertTrue(bucket.tryTake(1_000_000, 10_000 * MS), "capped at the capacity");
        assertFalse(bucket.tryTake(1, 10_000 * MS));
    }

    @Test
    void sharedBucketNeverHandsOutMoreThanItHoldsAcrossThreads() throws Exception {
        TokenBucket.Shared bucket = new TokenBucket.Shared(1, 10_000, 0);
        AtomicInteger taken = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch start = new CountDownLatch(1);
        for (int i = 0; i < 4; i++) {
            pool.execute(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int j = 0; j < 5_000; j++) {
                    if (bucket.tryTake(1, 0)) {
                        taken.incrementAndGet();
                    }
                }
            });
        }
        start.countDown();
        pool.shutdown();
        assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        assertEquals(10_000, taken.get());
    }
}
