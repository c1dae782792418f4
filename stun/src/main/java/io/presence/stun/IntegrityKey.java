package io.presence.stun;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The key of MESSAGE-INTEGRITY and MESSAGE-INTEGRITY-SHA256 (RFC 8489 §9). Immutable and thread-safe;
 * derive it once per credential and keep it: the long-term derivation costs an MD5 or SHA-256 each time.
 */
public final class IntegrityKey {
    private final byte[] key;
    private final Hmac sha1;
    private volatile Hmac sha256; // most clients never use it: made on first use

    private IntegrityKey(byte[] key) {
        if (key.length == 0) {
            throw new IllegalArgumentException("empty integrity key");
        }
        this.key = key;
        this.sha1 = new Hmac("SHA-1", key);
    }

    /** Short-term credential (RFC 8489 §9.1.1): the key is OpaqueString(password). */
    public static IntegrityKey shortTerm(String password) {
        return new IntegrityKey(OpaqueString.prepare(password).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Long-term credential with the default algorithm (RFC 8489 §9.2.2):
     * {@code MD5(username ":" OpaqueString(realm) ":" OpaqueString(password))}.
     */
    public static IntegrityKey longTerm(String username, String realm, String password) {
        return new IntegrityKey(digest("MD5", longTermInput(username, realm, password)));
    }

    /** Long-term credential with PASSWORD-ALGORITHM SHA-256 (RFC 8489 §18.5.1.2). */
    public static IntegrityKey longTermSha256(String username, String realm, String password) {
        return new IntegrityKey(digest("SHA-256", longTermInput(username, realm, password)));
    }

    /** A key given as bytes (e.g. derived elsewhere). Copies them. */
    public static IntegrityKey of(byte[] key) {
        return new IntegrityKey(key.clone());
    }

    private static byte[] longTermInput(String username, String realm, String password) {
        return (username + ":" + OpaqueString.prepare(realm) + ":" + OpaqueString.prepare(password))
                .getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] digest(String algorithm, byte[] input) {
        try {
            return MessageDigest.getInstance(algorithm).digest(input);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is required of every JRE", e);
        }
    }

    /** A copy of the key bytes. */
    public byte[] bytes() {
        return key.clone();
    }

    Hmac hmac(boolean useSha256) {
        if (!useSha256) {
            return sha1;
        }
        Hmac h = sha256;
        if (h == null) {
            h = new Hmac("SHA-256", key); // a benign race: both results are equal
            sha256 = h;
        }
        return h;
    }

    @Override
    public String toString() {
        return "IntegrityKey[" + key.length + " bytes]";
    }
}
