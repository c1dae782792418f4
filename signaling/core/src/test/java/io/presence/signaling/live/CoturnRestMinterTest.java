package io.presence.signaling.live;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CoturnRestMinterTest {

    private static final String SECRET = "coturn-static-secret";
    private static final Instant NOW = Instant.parse("2025-12-31T23:50:00.700Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private final CoturnRestMinter minter = new CoturnRestMinter(SECRET, CLOCK);

    @Test
    void usernameIsExpiryRoomParticipant() {
        Credentials c = minter.mint("r-42", "p-7", Duration.ofMinutes(10));
        assertEquals("1767225600:r-42:p-7", c.username());
        assertEquals(Instant.ofEpochSecond(NOW.getEpochSecond() + 600), c.expiresAt());
        assertEquals(600, c.ttlSeconds());
    }

    @Test
    void passwordMatchesAKnownAnswerComputedWithPython() {
        // python3 -c "import hmac,hashlib,base64; print(base64.b64encode(hmac.new(b'coturn-static-secret',
        //   b'1767225600:r-42:p-7', hashlib.sha1).digest()).decode())"
        assertEquals("cSwwGENvNtEkkjQ/uL0ilho5jyw=", minter.mint("r-42", "p-7", Duration.ofMinutes(10)).password());
    }

    @Test
    void passwordVerifiesWithAnIndependentHmac() throws Exception {
        for (int ttl : new int[] {1, 59, 600, 86_400}) {
            Credentials c = minter.mint("room-" + ttl, "participant_" + ttl, Duration.ofSeconds(ttl));
            assertEquals(rfc2104HmacSha1Base64(SECRET, c.username()), c.password());
            long expiry = Long.parseLong(c.username().substring(0, c.username().indexOf(':')));
            assertEquals(NOW.getEpochSecond() + ttl, expiry);
        }
    }

    @Test
    void differentSecretsDifferentPasswords() {
        Credentials a = minter.mint("r", "p", Duration.ofMinutes(1));
        Credentials b = new CoturnRestMinter("other", CLOCK).mint("r", "p", Duration.ofMinutes(1));
        assertEquals(a.username(), b.username());
        assertNotEquals(a.password(), b.password());
    }

    @Test
    void refusesWhatTheSchemeCannotCarry() {
        assertThrows(IllegalArgumentException.class, () -> minter.mint("r:1", "p", Duration.ofMinutes(1)));
        assertThrows(IllegalArgumentException.class, () -> minter.mint("r", "p 1", Duration.ofMinutes(1)));
        assertThrows(IllegalArgumentException.class, () -> minter.mint("", "p", Duration.ofMinutes(1)));
        assertThrows(IllegalArgumentException.class, () -> minter.mint("r", "p", Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> minter.mint("r", "p", Duration.ofMillis(999)));
        assertThrows(IllegalArgumentException.class, () -> new CoturnRestMinter("", CLOCK));
    }

    @Test
    void revokeIsANoOpAndTheSecretIsNeverPrinted() {
        minter.revoke("r", "p");
        assertFalse(minter.toString().contains(SECRET));
    }

    /** HMAC-SHA1 built from SHA-1 by RFC 2104, independent of javax.crypto.Mac. */
    private static String rfc2104HmacSha1Base64(String key, String message) throws Exception {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        if (k.length > 64) {
            k = MessageDigest.getInstance("SHA-1").digest(k);
        }
        k = Arrays.copyOf(k, 64);
        byte[] ipad = new byte[64];
        byte[] opad = new byte[64];
        for (int i = 0; i < 64; i++) {
            ipad[i] = (byte) (k[i] ^ 0x36);
            opad[i] = (byte) (k[i] ^ 0x5c);
        }
        MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
        sha1.update(ipad);
        byte[] inner = sha1.digest(message.getBytes(StandardCharsets.UTF_8));
        sha1.update(opad);
        return Base64.getEncoder().encodeToString(sha1.digest(inner));
    }
}
