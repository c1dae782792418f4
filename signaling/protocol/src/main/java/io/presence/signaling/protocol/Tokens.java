package io.presence.signaling.protocol;

/** Helpers for printing secrets safely. */
public final class Tokens {
    private static final int VISIBLE = 6;

    private Tokens() {
    }

    /** A short prefix for logs and exception messages; whole tokens never leave the process except to their owner. */
    public static String redact(String token) {
        if (token == null) {
            return "null";
        }
        return token.length() <= VISIBLE ? "…" : token.substring(0, VISIBLE) + "…";
    }
}
