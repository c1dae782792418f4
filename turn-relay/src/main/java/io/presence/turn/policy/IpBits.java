package io.presence.turn.policy;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Address bytes as numbers, so that range checks allocate nothing. */
final class IpBits {
    private IpBits() {
    }

    static int v4(byte[] b) {
        return v4(b, 0);
    }

    static int v4(byte[] b, int off) {
        return ((b[off] & 0xFF) << 24) | ((b[off + 1] & 0xFF) << 16) | ((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF);
    }

    static long hi(byte[] b) {
        return longAt(b, 0);
    }

    static long lo(byte[] b) {
        return longAt(b, 8);
    }

    private static long longAt(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[off + i] & 0xFF);
        }
        return v;
    }

    static String v4String(int v) {
        return ((v >>> 24) & 0xFF) + "." + ((v >>> 16) & 0xFF) + "." + ((v >>> 8) & 0xFF) + "." + (v & 0xFF);
    }

    static String v6String(long hi, long lo) {
        byte[] b = new byte[16];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (hi >>> (56 - 8 * i));
            b[8 + i] = (byte) (lo >>> (56 - 8 * i));
        }
        try {
            InetAddress a = InetAddress.getByAddress(b);
            return a.getHostAddress();
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
