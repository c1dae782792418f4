package io.presence.turn.auth;

/**
 * A parsed REST username {@code "<unix-expiry>:<room>:<participant>"}. Room and participant ids contain no
 * colon (mint refuses them), so the split is unambiguous.
 */
public record RestUsername(long expiryEpochSeconds, String room, String participant) {

    /** Longest username accepted; RFC 8489 §14.3 allows 513 bytes. */
    public static final int MAX_LENGTH = 513;

    /** Parses, or returns null when the text is not a REST username of this server. */
    public static RestUsername parse(String username) {
        if (username == null || username.length() > MAX_LENGTH) {
            return null;
        }
        int a = username.indexOf(':');
        if (a <= 0 || a > 19) {
            return null;
        }
        int b = username.indexOf(':', a + 1);
        if (b < 0 || b == a + 1 || b == username.length() - 1 || username.indexOf(':', b + 1) >= 0) {
            return null;
        }
        long expiry = 0;
        for (int i = 0; i < a; i++) {
            char c = username.charAt(i);
            if (c < '0' || c > '9' || expiry > (Long.MAX_VALUE - (c - '0')) / 10) {
                return null; // not a digit, or beyond any representable expiry
            }
            expiry = expiry * 10 + (c - '0');
        }
        return new RestUsername(expiry, username.substring(a + 1, b), username.substring(b + 1));
    }

    public String format() {
        return expiryEpochSeconds + ":" + room + ":" + participant;
    }

    /** Checks that an id can be a room or participant part. */
    public static void checkId(String what, String id) {
        if (id == null || id.isEmpty()) {
            throw new IllegalArgumentException(what + " id is empty");
        }
        if (id.indexOf(':') >= 0) {
            throw new IllegalArgumentException(what + " id contains ':'");
        }
        if (id.length() > 200) {
            throw new IllegalArgumentException(what + " id longer than 200 characters");
        }
    }
}
