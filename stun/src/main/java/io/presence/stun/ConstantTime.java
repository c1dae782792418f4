package io.presence.stun;

/**
 * Comparison whose running time depends only on the length. ice4j compares HMACs with
 * {@code Arrays.equals}, which returns at the first differing byte and so tells a patient attacker, byte by
 * byte, how much of a forged MESSAGE-INTEGRITY was right.
 */
public final class ConstantTime {
    private ConstantTime() {
    }

    public static boolean equals(byte[] a, int aIndex, byte[] b, int bIndex, int length) {
        int diff = 0;
        for (int i = 0; i < length; i++) {
            diff |= a[aIndex + i] ^ b[bIndex + i];
        }
        return diff == 0;
    }
}
