package io.presence.stun.attr;

import io.presence.stun.AttributeType;
import io.presence.stun.StunAttribute;
import io.presence.stun.StunMessageWriter;

import java.util.Arrays;

/**
 * PASSWORD-ALGORITHM and PASSWORD-ALGORITHMS (RFC 8489 §14.11, §14.12): which hash makes the long-term key
 * (MD5 = 1, the default; SHA-256 = 2). Each entry is a 2-byte algorithm, a 2-byte parameter length and
 * the parameters, padded; neither defined algorithm has parameters. coturn, pion and eturnal lack these.
 */
public final class PasswordAlgorithm {
    public static final int MD5 = 0x0001;
    public static final int SHA256 = 0x0002;

    private PasswordAlgorithm() {
    }

    /** The algorithm of a PASSWORD-ALGORITHM attribute (size-checked by the decoder). */
    public static int decode(StunAttribute attribute) {
        return attribute.u16(0);
    }

    /** The algorithms listed in PASSWORD-ALGORITHMS, in order; stops at a truncated entry. */
    public static int[] decodeList(StunAttribute attribute) {
        int[] out = new int[attribute.length() / 4];
        int n = 0;
        int i = 0;
        while (i + 4 <= attribute.length()) {
            int paramLength = attribute.u16(i + 2);
            out[n++] = attribute.u16(i);
            i += 4 + ((paramLength + 3) & ~3);
        }
        return Arrays.copyOf(out, n);
    }

    public static void write(StunMessageWriter writer, int algorithm) {
        writer.u32(AttributeType.PASSWORD_ALGORITHM, (long) algorithm << 16);
    }

    /** PASSWORD-ALGORITHMS offered by the server in a 401, in order of preference. */
    public static void writeList(StunMessageWriter writer, int... algorithms) {
        byte[] v = new byte[4 * algorithms.length];
        for (int i = 0; i < algorithms.length; i++) {
            v[4 * i] = (byte) (algorithms[i] >>> 8);
            v[4 * i + 1] = (byte) algorithms[i];
        }
        writer.attribute(AttributeType.PASSWORD_ALGORITHMS, v);
    }
}
