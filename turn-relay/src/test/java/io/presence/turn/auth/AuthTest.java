package io.presence.turn.auth;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.presence.stun.AttributeType;
import io.presence.stun.IntegrityKey;
import io.presence.stun.MessageClass;
import io.presence.stun.Method;
import io.presence.stun.StunMessage;
import io.presence.stun.StunMessageWriter;
import io.presence.stun.TransactionId;
import io.presence.turn.MutableClock;
import io.presence.turn.auth.TurnCredentials;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AuthTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

    private static StunMessage signed(String username, String realm, String password) throws Exception {
        ByteBuf out = Unpooled.buffer();
        StunMessageWriter w = StunMessageWriter.begin(out, Method.ALLOCATE, MessageClass.REQUEST, TransactionId.random());
        w.string(AttributeType.USERNAME, username).string(AttributeType.REALM, realm).string(AttributeType.NONCE, "n");
        w.messageIntegrity(IntegrityKey.longTerm(username, realm, password));
        w.finish();
        return StunMessage.decode(out);
    }

    @Test
    void mintIsCoturnCompatible() {
        // coturn: password = base64(HMAC-SHA1(secret, username)).
        // Vector from openssl: printf 1700000000:room1:alice | openssl dgst -sha1 -hmac north -binary | base64
        assertEquals("iWq5/Aum9BaV0RbShlpdUrQ0F6Q=", RestCredentials.password("north".getBytes(), "1700000000:room1:alice"));
        RestCredentials c = new RestCredentials(List.of("secret"), "presence", Duration.ofHours(1), clock);
        TurnCredentials t = c.mint("room1", "alice", Duration.ofMinutes(10));
        assertEquals(clock.instant().getEpochSecond() + 600 + ":room1:alice", t.username());
        assertEquals(RestCredentials.password("secret".getBytes(), t.username()), t.password());
        assertEquals(Duration.ofMinutes(10), t.ttl());
        assertFalse(t.toString().contains(t.password()), "the password never appears in toString");
    }

    @Test
    void ttlIsCapped() {
        RestCredentials c = new RestCredentials(List.of("secret"), "presence", Duration.ofHours(1), clock);
        TurnCredentials t = c.mint("r", "p", Duration.ofDays(3));
        assertEquals(Duration.ofHours(1), t.ttl());
        assertEquals(clock.instant().plus(Duration.ofHours(1)), t.expiry());
    }

    @Test
    void badIdsAreRefused() {
        RestCredentials c = new RestCredentials(List.of("secret"), "presence", Duration.ofHours(1), clock);
        assertThrows(IllegalArgumentException.class, () -> c.mint("a:b", "p", Duration.ofMinutes(1)));
        assertThrows(IllegalArgumentException.class, () -> c.mint("r", "", Duration.ofMinutes(1)));
        assertThrows(IllegalArgumentException.class, () -> c.mint("r", "p", Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> new RestCredentials(List.of(), "r", Duration.ofHours(1), clock));
    }

    @Test
    void verifiesWithEverySecretOfTheRotationList() throws Exception {
        RestCredentials old = new RestCredentials(List.of("old"), "presence", Duration.ofHours(1), clock);
        RestCredentials rotated = new RestCredentials(List.of("new", "old"), "presence", Duration.ofHours(1), clock);
        RestCredentials dropped = new RestCredentials(List.of("new"), "presence", Duration.ofHours(1), clock);
        TurnCredentials t = old.mint("r", "p", Duration.ofMinutes(5));
        StunMessage m = signed(t.username(), "presence", t.password());
        assertNotNull(old.verify(t.username(), m));
        assertNotNull(rotated.verify(t.username(), m), "an old secret still verifies during rotation");
        assertNull(dropped.verify(t.username(), m), "a dropped secret no longer verifies");
        // New credentials are minted with the first secret.
        TurnCredentials fresh = rotated.mint("r", "p", Duration.ofMinutes(5));
        assertEquals(RestCredentials.password("new".getBytes(), fresh.username()), fresh.password());
        assertNull(old.verify(fresh.username(), signed(fresh.username(), "presence", fresh.password())));
    }

    @Test
    void wrongPasswordOrRealmFails() throws Exception {
        RestCredentials c = new RestCredentials(List.of("secret"), "presence", Duration.ofHours(1), clock);
        TurnCredentials t = c.mint("r", "p", Duration.ofMinutes(5));
        assertNull(c.verify(t.username(), signed(t.username(), "presence", t.password() + "x")));
        assertNull(c.verify(t.username(), signed(t.username(), "other", t.password())));
        // A username edited after minting (longer expiry, other room) no longer matches the password.
        String forged = t.username().replace(":r:", ":r2:");
        assertNull(c.verify(forged, signed(forged, "presence", t.password())));
    }

    @Test
    void strictExpiry() {
        RestCredentials c = new RestCredentials(List.of("secret"), "presence", Duration.ofHours(1), clock);
        TurnCredentials t = c.mint("r", "p", Duration.ofSeconds(30));
        RestUsername u = RestUsername.parse(t.username());
        assertFalse(c.expired(u));
        clock.advance(Duration.ofSeconds(29));
        assertFalse(c.expired(u));
        clock.advance(Duration.ofSeconds(1));
        assertTrue(c.expired(u), "expired at the expiry second itself");
    }

    @Test
    void expiryBeyondMaxTtlPlusSkewIsRefused() {
        RestCredentials c = new RestCredentials(List.of("secret"), "presence", Duration.ofHours(1), clock);
        long now = clock.instant().getEpochSecond();
        long limit = now + 3600 + RestCredentials.CLOCK_SKEW.getSeconds();
        assertFalse(c.beyondMaxTtl(RestUsername.parse(c.mint("r", "p", Duration.ofDays(1)).username())),
                "a minted credential is never beyond the limit");
        assertFalse(c.beyondMaxTtl(new RestUsername(limit, "r", "p")));
        assertTrue(c.beyondMaxTtl(new RestUsername(limit + 1, "r", "p")));
        assertTrue(c.beyondMaxTtl(new RestUsername(now + Duration.ofDays(3650).toSeconds(), "r", "p")));
        assertTrue(c.beyondMaxTtl(new RestUsername(Long.MAX_VALUE, "r", "p")));
        clock.advance(Duration.ofSeconds(1));
        assertFalse(c.beyondMaxTtl(new RestUsername(limit + 1, "r", "p")), "the limit moves with the clock");
        RestCredentials huge = new RestCredentials(List.of("secret"), "presence", Duration.ofSeconds(Long.MAX_VALUE), clock);
        assertFalse(huge.beyondMaxTtl(new RestUsername(Long.MAX_VALUE, "r", "p")), "no overflow of the limit");
    }

    @Test
    void usernameParsing() {
        assertEquals(new RestUsername(123, "room", "alice"), RestUsername.parse("123:room:alice"));
        for (String bad : new String[] {"room:alice", "x1:room:alice", "123::alice", "123:room:", ":room:alice",
                "123:room:alice:extra", "", "12345678901234567890:r:p", "9999999999999999999:r:p", "9223372036854775808:r:p"}) {
            assertNull(RestUsername.parse(bad), bad);
        }
        assertEquals(Long.MAX_VALUE, RestUsername.parse("9223372036854775807:r:p").expiryEpochSeconds());
    }

    @Test
    void noncesAreStatelessBoundToTheClientAndExpire() throws Exception {
        Nonces n = new Nonces(Duration.ofMinutes(10), clock);
        InetSocketAddress a = new InetSocketAddress("192.0.2.1", 5000);
        InetSocketAddress b = new InetSocketAddress("192.0.2.1", 5001);
        String nonce = n.issue(a);
        assertEquals(Nonces.LENGTH, nonce.length());
        assertEquals(Nonces.Check.VALID, n.check(nonce, a));
        assertEquals(Nonces.Check.INVALID, n.check(nonce, b), "bound to the client's transport address");
        assertEquals(Nonces.Check.INVALID, new Nonces(Duration.ofMinutes(10), clock).check(nonce, a),
                "another server key does not verify it");
        String tampered = (nonce.charAt(0) == '0' ? '1' : '0') + nonce.substring(1);
        assertEquals(Nonces.Check.INVALID, n.check(tampered, a), "the timestamp is covered by the HMAC");
        assertEquals(Nonces.Check.INVALID, n.check("short", a));
        clock.advance(Duration.ofMinutes(9));
        assertEquals(Nonces.Check.VALID, n.check(nonce, a));
        clock.advance(Duration.ofMinutes(1));
        assertEquals(Nonces.Check.STALE, n.check(nonce, a));
        assertNotEquals(nonce, n.issue(a));
    }

    @Test
    void challengeLimiterIsPerIpPortIgnored() throws Exception {
        ChallengeLimiter l = new ChallengeLimiter(10, 5);
        InetAddress x = InetAddress.getByName("192.0.2.1");
        InetAddress y = InetAddress.getByName("192.0.2.2");
        long t = 1_000_000_000L;
        for (int i = 0; i < 5; i++) {
            assertTrue(l.tryAcquire(x, t), "burst " + i);
        }
        assertFalse(l.tryAcquire(x, t), "over the burst");
        assertTrue(l.tryAcquire(y, t), "another IP has its own budget");
        assertFalse(l.tryAcquire(x, t + 50_000_000L), "half a token after 50 ms");
        assertTrue(l.tryAcquire(x, t + 100_000_000L), "refilled at 10/s");
        assertTrue(new ChallengeLimiter(0, 1).tryAcquire(x, t), "0 disables");
    }

    @Test
    void revocationsHoldUntilEveryEarlierCredentialExpired() {
        RestCredentials c = new RestCredentials(List.of("secret"), "presence", Duration.ofHours(1), clock);
        Revocations r = new Revocations(Duration.ofHours(1), clock);
        RestUsername alice = RestUsername.parse(c.mint("room", "alice", Duration.ofHours(1)).username());
        RestUsername bob = RestUsername.parse(c.mint("room", "bob", Duration.ofHours(1)).username());
        RestUsername carol = RestUsername.parse(c.mint("other", "carol", Duration.ofHours(1)).username());
        r.revokeParticipant("room", "alice");
        assertTrue(r.isRevoked(alice));
        assertFalse(r.isRevoked(bob));
        assertTrue(r.isParticipantRevoked("room", "alice"));
        r.revokeRoom("room");
        assertTrue(r.isRevoked(bob));
        assertFalse(r.isRevoked(carol));
        assertEquals(2, r.size());
        clock.advance(Duration.ofHours(1).plusSeconds(5));
        r.purge();
        assertEquals(0, r.size(), "entries are dropped once no credential can match");
    }
}
