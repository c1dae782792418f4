package io.presence.stun;

import java.util.HexFormat;

/** Hex as RFCs print it (spaces, line breaks) to bytes. */
public final class Hex {
    private Hex() {
    }

    public static byte[] bytes(String s) {
        return HexFormat.of().parseHex(s.replaceAll("\\s+", ""));
    }

    public static String of(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
