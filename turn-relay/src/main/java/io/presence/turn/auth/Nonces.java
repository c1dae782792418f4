package io.presence.turn.auth;

import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Stateless nonces (RFC 8489 §9.2): {@code hex(issued-seconds) + hex(HMAC-SHA256(key, issued || client)[0..12))}.
 * The server keeps nothing per client, so a flood of spoofed Allocates creates no state; a nonce is bound to
 * the client's transport address, so one sniffed on another path is useless; an expired nonce gets 438 with
 * a fresh one. The key is random per process: a restart invalidates nonces, which clients recover from with
 * one 438/401 round trip.
 *
 * <p>Thread-safe ({@link Mac} instances per thread).
 */
public final class Nonces {
    /** Nonce length in characters: 8 for the timestamp, 24 for the truncated HMAC. */
    public static final int LENGTH = 32;

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final SecretKeySpec key;
    private final long lifetimeSeconds;
    private final Clock clock;
    private final ThreadLocal<Mac> mac;

    public Nonces(Duration lifetime, Clock clock) {
        this(randomKey(), lifetime, clock);
    }

    Nonces(byte[] key, Duration lifetime, Clock clock) {
        this.key = new SecretKeySpec(key, "HmacSHA256");
        this.lifetimeSeconds = lifetime.toSeconds();
        this.clock = clock;
        this.mac = ThreadLocal.withInitial(() -> {
            try {
                Mac m = Mac.getInstance("HmacSHA256");
                m.init(this.key);
                return m;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is required of every JRE", e);
            }
        });
    }

    private static byte[] randomKey() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        return k;
    }

    /** A fresh nonce for {@code client}. */
    public String issue(InetSocketAddress client) {
        return make(clock.millis() / 1000, client);
    }

    /** The result of checking a nonce. */
    public enum Check { VALID, STALE, INVALID }

    /**
     * VALID when this server issued {@code nonce} for {@code client} within the lifetime; STALE when it did but
     * the lifetime has passed (answer 438); INVALID otherwise (answer 401 with a fresh nonce).
     */
    public Check check(String nonce, InetSocketAddress client) {
        if (nonce == null || nonce.length() != LENGTH) {
            return Check.INVALID;
        }
        long issued = 0;
        for (int i = 0; i < 8; i++) {
            int d = Character.digit(nonce.charAt(i), 16);
            if (d < 0) {
                return Check.INVALID;
            }
            issued = (issued << 4) | d;
        }
        String expected = make(issued, client);
        // Constant time over the HMAC part: the comparison must not tell an attacker how many characters match.
        int diff = 0;
        for (int i = 0; i < LENGTH; i++) {
            diff |= expected.charAt(i) ^ nonce.charAt(i);
        }
        if (diff != 0) {
            return Check.INVALID;
        }
        long now = clock.millis() / 1000;
        // A nonce from the future (clock stepped back) is stale too, rather than valid forever.
        return now - issued >= lifetimeSeconds || issued > now + 1 ? Check.STALE : Check.VALID;
    }

    private String make(long issued, InetSocketAddress client) {
        Mac m = mac.get();
        int t = (int) issued;
        m.update((byte) (t >>> 24));
        m.update((byte) (t >>> 16));
        m.update((byte) (t >>> 8));
        m.update((byte) t);
        m.update(client.getAddress().getAddress());
        m.update((byte) (client.getPort() >>> 8));
        m.update((byte) client.getPort());
        byte[] h = m.doFinal();
        char[] out = new char[LENGTH];
        for (int i = 0; i < 8; i++) {
            out[i] = HEX[(t >>> (28 - 4 * i)) & 0xF];
        }
        for (int i = 0; i < 12; i++) {
            out[8 + 2 * i] = HEX[(h[i] >>> 4) & 0xF];
            out[9 + 2 * i] = HEX[h[i] & 0xF];
        }
        return new String(out);
    }

    @Override
    public String toString() {
        return "Nonces[lifetime=" + lifetimeSeconds + "s]";
    }
}
