package io.presence.signaling.room;

import java.security.SecureRandom;
import java.util.Base64;

/** URL-safe random identifiers and tokens from {@link SecureRandom}. */
public final class RandomIds {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private RandomIds() {
    }

    /** {@code bytes} random bytes, base64url without padding (16 bytes → 22 characters, 128 bits). */
    public static String next(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return ENCODER.encodeToString(b);
    }
}
