package io.presence.signaling.invite;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The secret of an invite: 128 random bits from {@link SecureRandom}, base64url (22 characters), and its SHA-256,
 * which is all the server keeps. A redemption hashes what it is given and looks the hash up: nothing is compared
 * in the clear, and a copy of the database lets nobody in. A plain (unsalted) hash is enough because the secret
 * is random: there is no dictionary to try.
 */
public record InviteToken(String token, String hash) {
    static final int BYTES = 16;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    public static InviteToken next() {
        byte[] b = new byte[BYTES];
        RANDOM.nextBytes(b);
        String token = ENCODER.encodeToString(b);
        return new InviteToken(token, hash(token));
    }

    /** The lower-case hex SHA-256 of the token's UTF-8 bytes: 64 characters. */
    public static String hash(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return "InviteToken[hash=" + hash + "]";
    }
}
