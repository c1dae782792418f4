package io.presence.stun;

import java.util.Arrays;
import java.util.function.Predicate;

/**
 * Median time of a comparison that differs in the first byte divided by one that differs in the last.
 * Near 1 for a constant-time comparison, near 0 for one that returns at the first difference. Medians
 * of many short rounds keep a busy shared machine from deciding the result.
 */
final class TimingRatio {
    private TimingRatio() {
    }

    static double of(Predicate<byte[]> compare, byte[] early, byte[] late) {
        int rounds = 41;
        long[] e = new long[rounds];
        long[] l = new long[rounds];
        boolean sink = false;
        for (int warm = 0; warm < 2_000; warm++) {
            sink ^= compare.test(early) ^ compare.test(late);
        }
        for (int r = 0; r < rounds; r++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < 20; i++) {
                sink ^= compare.test(early);
            }
            long t1 = System.nanoTime();
            for (int i = 0; i < 20; i++) {
                sink ^= compare.test(late);
            }
            long t2 = System.nanoTime();
            e[r] = t1 - t0;
            l[r] = t2 - t1;
        }
        if (sink) {
            Thread.onSpinWait();
        }
        Arrays.sort(e);
        Arrays.sort(l);
        return (double) e[rounds / 2] / Math.max(1, l[rounds / 2]);
    }
}
