package io.presence.signaling.signin;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.presence.signaling.runtime.TimeSource;

import java.time.Duration;
import java.util.Map;
import java.util.Date;
import java.util.Objects;

/**
 * Mints HS256 tokens with the first of the {@link TokenKeys} secrets, under the same rules the
 * {@link JwtAuthProvider} applies: what it refuses to mint, the server would refuse to accept.
 */
public final class TokenMinter {

    /** What was asked for that no token may carry; the message says which rule. */
    public static final class RefusedException extends Exception {
        public RefusedException(String message) {
            super(message);
        }
    }

    private final byte[] secret;
    private final JwtSettings settings;
    private final TimeSource time;

    public TokenMinter(TokenKeys keys, JwtSettings settings, TimeSource time) throws TokenKeyException {
        this.secret = keys.signingSecret();
        if (secret == null) {
            throw new TokenKeyException("no token key to sign with: signaling.tokenKeys is empty and only public keys "
                    + "are configured (tokens for them are signed by whoever holds the private key)");
        }
        this.settings = Objects.requireNonNull(settings, "settings");
        this.time = Objects.requireNonNull(time, "time");
    }

    /**
     * @param room  the one room the token is good for, or null
     * @param admin whether the token makes a server admin
     */
    public String mint(String user, String name, Duration ttl, String room, boolean admin) throws RefusedException {
        return mint(user, name, ttl, room, admin, Map.of());
    }

    /** @param roles role grants, room id → {@code owner}, {@code admin} or {@code member} ({@link TokenClaims#ROLES}) */
    public String mint(String user, String name, Duration ttl, String room, boolean admin, Map<String, String> roles)
            throws RefusedException {
        if (roles.size() > TokenClaims.MAX_ROLES) {
            throw new RefusedException("at most " + TokenClaims.MAX_ROLES + " role grants");
        }
        for (Map.Entry<String, String> grant : roles.entrySet()) {
            if (!SignInNames.isRoomId(grant.getKey())) {
                throw new RefusedException("room id must be " + SignInNames.ROOM_ID_RULE);
            }
            if (!TokenClaims.GRANTABLE.contains(grant.getValue())) {
                throw new RefusedException("role must be owner, admin or member");
            }
        }
        if (!SignInNames.isUserId(user)) {
            throw new RefusedException("user id must be " + SignInNames.USER_ID_RULE);
        }
        String displayName = SignInNames.displayName(name);
        if (displayName == null) {
            throw new RefusedException("name must be " + SignInNames.DISPLAY_NAME_RULE);
        }
        if (room != null && !SignInNames.isRoomId(room)) {
            throw new RefusedException("room id must be " + SignInNames.ROOM_ID_RULE);
        }
        if (ttl.toSeconds() < 1 || ttl.compareTo(settings.maxTtl()) > 0) {
            throw new RefusedException("ttl must be between 1s and auth.jwt.maxTtl (" + settings.maxTtl().toString()
                    .substring(2).toLowerCase(java.util.Locale.ROOT) + ")");
        }
        long nowSeconds = time.millis() / 1000;
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .subject(user)
                .claim(TokenClaims.NAME, displayName)
                .issueTime(new Date(nowSeconds * 1000))
                .expirationTime(new Date((nowSeconds + ttl.toSeconds()) * 1000));
        if (settings.issuer() != null) {
            claims.issuer(settings.issuer());
        }
        if (settings.audience() != null) {
            claims.audience(settings.audience());
        }
        if (room != null) {
            claims.claim(TokenClaims.ROOM, room);
        }
        if (admin) {
            claims.claim(TokenClaims.ADMIN, true);
        }
        if (!roles.isEmpty()) {
            claims.claim(TokenClaims.ROLES, new java.util.TreeMap<>(roles));
        }
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims.build());
        try {
            jwt.sign(new MACSigner(secret));
        } catch (JOSEException e) {
            throw new IllegalStateException("HS256 signing failed", e);
        }
        return jwt.serialize();
    }
}
