package io.presence.signaling.app.config;

import java.util.Optional;

/**
 * Whether a shared secret is strong enough to sign credentials with. A TURN credential is an HMAC of its user name
 * under the secret, so anyone holding one credential (every call participant does) can guess secrets offline as fast
 * as they can compute HMACs: the secret needs the strength of a symmetric key, 128 bits.
 *
 * <p>The rule, simple on purpose so an operator can predict it: a secret's strength is its length times the bits
 * per character of the smallest of these alphabets that holds all its characters: decimal digits (3.3 bits),
 * hexadecimal digits (4), base64 and base64url including padding (6), any other text (6.5, the printable ASCII
 * characters). It must reach {@value #MIN_BITS} bits, that is at least 39 digits, 32 hex digits, 22 base64
 * characters or 20 characters of mixed text, and use at least {@value #MIN_DISTINCT} different characters (which
 * turns away {@code aaaa...} and {@code abab...}). {@code openssl rand -base64 32} gives 256 bits.
 */
public final class SecretStrength {

    public static final int MIN_BITS = 128;
    static final int MIN_DISTINCT = 5;

    /** For error lines: what passes. */
    public static final String ALLOWED = "at least 22 base64 characters, 32 hex digits or 39 decimal digits, with "
            + "at least " + MIN_DISTINCT + " different characters (e.g. openssl rand -base64 32)";

    private SecretStrength() {
    }

    /** The estimated strength in bits, by the rule above. */
    public static int bits(String secret) {
        return (int) Math.floor(secret.length() * bitsPerCharacter(secret));
    }

    /** Empty when strong enough; otherwise the problem, without the secret. */
    public static Optional<String> weakness(String secret) {
        int bits = bits(secret);
        if (bits < MIN_BITS) {
            return Optional.of("about " + bits + " bits of strength, at least " + MIN_BITS + " are needed");
        }
        if (secret.chars().distinct().count() < MIN_DISTINCT) {
            return Optional.of("fewer than " + MIN_DISTINCT + " different characters");
        }
        return Optional.empty();
    }

    private static double bitsPerCharacter(String s) {
        if (s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return Math.log(10) / Math.log(2);
        }
        if (s.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
            return 4;
        }
        if (s.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
                || c == '+' || c == '/' || c == '-' || c == '_' || c == '=')) {
            return 6;
        }
        return 6.5;
    }
}
