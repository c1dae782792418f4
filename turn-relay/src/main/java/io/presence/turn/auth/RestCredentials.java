package io.presence.turn.auth;

import io.presence.stun.IntegrityKey;
import io.presence.stun.StunMessage;
import io.presence.turn.auth.TurnCredentials;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Mints and verifies TURN REST credentials. The first secret mints; every secret verifies, so a secret can be
 * rotated without downtime (add the new one first in the list, drop the old one after the longest TTL).
 *
 * <p>Verification derives the long-term key {@code MD5(username:realm:password)} for each secret until one
 * verifies the message's MESSAGE-INTEGRITY. Derived keys are cached per username (a bounded cache), because
 * a client sends the same username with every request and derivation costs an HMAC and an MD5.
 *
 * <p>Thread-safe.
 */
public final class RestCredentials {
    /** Bound on cached derived keys; cleared wholesale when reached (a flood of usernames gains nothing). */
    static final int KEY_CACHE_LIMIT = 10_000;

    /**
     * How far beyond {@code now + maxCredentialTtl} a REST expiry may lie and still be accepted: a minter
     * elsewhere that shares the secret may run a clock ahead of ours, and minting rounds the expiry up to the
     * next second. Anything later is refused ({@link #beyondMaxTtl}).
     */
    public static final Duration CLOCK_SKEW = Duration.ofSeconds(60);

    private final List<byte[]> secrets;
    private final String realm;
    private final Duration maxTtl;
    private final Clock clock;
    /** {@code maxTtl + CLOCK_SKEW} in seconds: the furthest an accepted expiry may lie ahead of now. */
    private final long maxAheadSeconds;
    private final ConcurrentHashMap<String, IntegrityKey[]> keys = new ConcurrentHashMap<>();

    public RestCredentials(List<String> secrets, String realm, Duration maxTtl, Clock clock) {
        if (secrets.isEmpty()) {
            throw new IllegalArgumentException("turn secrets: at least one secret is required");
        }
        this.secrets = secrets.stream().map(s -> {
            if (s == null || s.isEmpty()) {
                throw new IllegalArgumentException("turn secrets: empty secret");
            }
            return s.getBytes(StandardCharsets.UTF_8);
        }).toList();
        this.realm = realm;
        this.maxTtl = maxTtl;
        this.clock = clock;
        this.maxAheadSeconds = saturatedAdd(maxTtl.getSeconds(), CLOCK_SKEW.getSeconds());
    }

    private static long saturatedAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }

    public String realm() {
        return realm;
    }

    /** Mints credentials for {@code (room, participant)} valid for {@code ttl}, capped at the configured maximum. */
    public TurnCredentials mint(String room, String participant, Duration ttl) {
        RestUsername.checkId("room", room);
        RestUsername.checkId("participant", participant);
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl must be positive, not " + ttl);
        }
        Duration effective = ttl.compareTo(maxTtl) > 0 ? maxTtl : ttl;
        Instant expiry = clock.instant().plus(effective);
        // Round up so the credential never expires before the promised TTL.
        long expirySeconds = expiry.getEpochSecond() + (expiry.getNano() > 0 ? 1 : 0);
        String username = new RestUsername(expirySeconds, room, participant).format();
        return new TurnCredentials(username, password(secrets.get(0), username), effective,
                Instant.ofEpochSecond(expirySeconds));
    }

    /** base64(HMAC-SHA1(secret, username)), as coturn's {@code use-auth-secret} computes it. */
    public static String password(byte[] secret, String username) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secret, "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is required of every JRE", e);
        }
    }

    /**
     * The key that verifies {@code message}'s integrity for {@code username}, or null when no secret does.
     * The caller has checked expiry and revocation already (cheaper, and they need no HMAC).
     */
    public IntegrityKey verify(String username, StunMessage message) {
        IntegrityKey[] candidates = keys.get(username);
        if (candidates == null) {
            candidates = new IntegrityKey[secrets.size()];
            for (int i = 0; i < candidates.length; i++) {
                candidates[i] = IntegrityKey.longTerm(username, realm, password(secrets.get(i), username));
            }
            if (keys.size() >= KEY_CACHE_LIMIT) {
                keys.clear();
            }
            keys.put(username, candidates);
        }
        for (IntegrityKey key : candidates) {
            if (message.verifyIntegrity(key)) {
                return key;
            }
        }
        return null;
    }

    /** Whether the REST expiry has passed (strict: the second of expiry itself is already expired). */
    public boolean expired(RestUsername user) {
        return clock.millis() / 1000 >= user.expiryEpochSeconds();
    }

    /**
     * Whether the REST expiry lies further ahead than {@code maxCredentialTtl + CLOCK_SKEW}: no credential this
     * server mints gets there, and a revocation is remembered only {@code maxCredentialTtl}, so such a credential
     * (minted elsewhere with the secret, or under a longer TTL setting) could never be revoked for good.
     */
    public boolean beyondMaxTtl(RestUsername user) {
        // expiry and now are both non-negative, so the difference cannot overflow.
        return user.expiryEpochSeconds() - clock.millis() / 1000 > maxAheadSeconds;
    }
}
