package io.presence.net;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DescriptorBudgetTest {
    private static final int AUTO = DescriptorBudget.AUTO;

    @Test
    void autoCapsShareWhatIsLeftByWeight() {
        assertArrayEquals(new int[] {1000, 3000}, DescriptorBudget.fit(4000, new int[] {AUTO, AUTO}, new int[] {1, 3}));
        assertArrayEquals(new int[] {500, 64, 3436},
                DescriptorBudget.fit(4000, new int[] {500, 64, AUTO}, new int[] {1, 1, 3}));
    }

    @Test
    void fixedCapsThatFitAreKept() {
        assertArrayEquals(new int[] {100, 200}, DescriptorBudget.fit(10_000, new int[] {100, 200}, new int[] {1, 1}));
    }

    @Test
    void fixedCapsThatDoNotFitAreScaledDownTogether() {
        int[] caps = DescriptorBudget.fit(1000, new int[] {10_000, 30_000}, new int[] {1, 1});
        assertArrayEquals(new int[] {250, 750}, caps);
        int[] withAuto = DescriptorBudget.fit(1000, new int[] {10_000, 30_000, AUTO}, new int[] {1, 1, 1});
        assertTrue(withAuto[0] + withAuto[1] + withAuto[2] <= 1000);
        assertTrue(withAuto[2] >= DescriptorBudget.MIN_CAP);
    }

    @Test
    void noCapGoesBelowTheMinimum() {
        assertArrayEquals(new int[] {DescriptorBudget.MIN_CAP, DescriptorBudget.MIN_CAP},
                DescriptorBudget.fit(0, new int[] {AUTO, 5000}, new int[] {1, 1}));
    }

    @Test
    void theLimitIsReadOnThisPlatform() {
        assertTrue(DescriptorBudget.processLimit().isPresent());
        assertTrue(DescriptorBudget.openNow().getAsLong() > 0);
    }
}
