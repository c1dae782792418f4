package io.presence.signaling.live;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import java.util.Set;

/**
 * External relay mode: credentials for a coturn configured with {@code use-auth-secret} and
 * {@code static-auth-secret}, by the TURN REST API scheme (draft-uberti-behave-turn-rest-00 §2.2, as coturn
 * implements it): {@code username = <unix-expiry>:<room>:<participant>},
 * {@code password = base64(HMAC-SHA1(secret, username))}. coturn reads the expiry up to the first {@code ':'}
 * (its default {@code rest-api-separator}), so ids must not contain {@code ':'}.
 *
 * <p>These credentials cannot be revoked before they expire ({@link #revoke} does nothing). coturn cannot be asked
 * which allocations exist either, so in relay-only rooms a relay candidate is admitted when its address is one of
 * the relay addresses given at construction (the resolved hosts of the coturn URLs), on any port. Thread safe.
 */
public final class CoturnRestMinter implements CredentialMinter {

    private static final String HMAC = "HmacSHA1";
    private static final int MAX_ID_LENGTH = 128;

    private final byte[] secret;
    private final Clock clock;
    private final Set<InetAddress> relayAddresses;

    /**
     * @param secret         coturn's {@code static-auth-secret}, used as its UTF-8 bytes as coturn does
     * @param relayAddresses the addresses coturn relays at; relay candidates elsewhere are not admitted
     */
    public CoturnRestMinter(String secret, Clock clock, Set<InetAddress> relayAddresses) {
        Objects.requireNonNull(secret, "secret");
        if (secret.isEmpty()) {
            throw new IllegalArgumentException("secret must not be empty");
        }
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.relayAddresses = Set.copyOf(relayAddresses);
    }

    public CoturnRestMinter(String secret, Clock clock) {
        this(secret, clock, Set.of());
    }

    public CoturnRestMinter(String secret, Set<InetAddress> relayAddresses) {
        this(secret, Clock.systemUTC(), relayAddresses);
    }

    public CoturnRestMinter(String secret) {
        this(secret, Clock.systemUTC());
    }

    @Override
    public boolean admitsRelayCandidate(String roomId, InetAddress address, int port) {
        return port > 0 && relayAddresses.contains(address);
    }

    @Override
    public Credentials mint(String roomId, String participantId, Duration ttl) {
        checkId("roomId", roomId);
        checkId("participantId", participantId);
        Objects.requireNonNull(ttl, "ttl");
        long ttlSeconds = ttl.toSeconds();
        if (ttlSeconds <= 0) {
            throw new IllegalArgumentException("ttl must be at least one second, was " + ttl);
        }
        Instant expiresAt = Instant.ofEpochSecond(clock.instant().getEpochSecond() + ttlSeconds);
        String username = expiresAt.getEpochSecond() + ":" + roomId + ":" + participantId;
        return new Credentials(username, password(username), ttlSeconds, expiresAt);
    }

    private String password(String username) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(secret, HMAC));
            byte[] digest = mac.doFinal(username.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is required of every JRE", e);
        }
    }

    private static void checkId(String name, String id) {
        Objects.requireNonNull(id, name);
        if (id.isEmpty() || id.length() > MAX_ID_LENGTH) {
            throw new IllegalArgumentException(name + " must be 1.." + MAX_ID_LENGTH + " characters");
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c == ':' || c <= 0x20 || c >= 0x7f) {
                throw new IllegalArgumentException(name + " must be printable ASCII without ':' or spaces");
            }
        }
    }

    @Override
    public String toString() {
        return "CoturnRestMinter[secret=<redacted>]";
    }

}
