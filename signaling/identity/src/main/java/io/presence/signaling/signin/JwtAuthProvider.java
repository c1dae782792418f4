package io.presence.signaling.signin;

import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import io.presence.signaling.identity.AuthProvider;
import io.presence.signaling.identity.AuthResult;
import io.presence.signaling.identity.InMemoryRevocationList;
import io.presence.signaling.identity.Principal;
import io.presence.signaling.identity.RevocationList;
import io.presence.signaling.protocol.ClientMessage;
import io.presence.signaling.runtime.TimeSource;

import java.text.ParseException;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Sign-in with a signed token, provider {@code jwt}: {@code hello.auth} {@code {"provider":"jwt","token":"..."}}.
 * The token is a JWS (compact form) signed with one of the {@link TokenKeys}; its claims say who signs in:
 * {@code sub} (the user id), {@code name} (the display name), {@code exp} (required), {@code nbf} and {@code iat}
 * (judged with the clock skew), optional {@code room} (the one room the sign-in is good for), {@code admin: true}
 * (a server admin), {@code iss} and {@code aud} when the server requires them. A token issued at or before its
 * user's last revocation ({@link RevocationList}) is refused. Unsigned tokens, encrypted ones,
 * keys named inside the token ({@code jwk}, {@code jku}, {@code x5u}: ignored) and critical header extensions are
 * never accepted.
 *
 * <p>Verification is CPU work of tens of microseconds and runs on the calling thread; the stage is complete on
 * return. Thread-safe.
 */
public final class JwtAuthProvider implements AuthProvider {
    public static final String NAME = "jwt";

    private final TokenKeys keys;
    private final JwtSettings settings;
    private final TimeSource time;
    private final RevocationList revocations;

    public JwtAuthProvider(TokenKeys keys, JwtSettings settings, TimeSource time) {
        this(keys, settings, time, new InMemoryRevocationList());
    }

    /** @param revocations users whose tokens issued up to a moment are refused */
    public JwtAuthProvider(TokenKeys keys, JwtSettings settings, TimeSource time, RevocationList revocations) {
        this.revocations = Objects.requireNonNull(revocations, "revocations");
        this.keys = Objects.requireNonNull(keys, "keys");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.time = Objects.requireNonNull(time, "time");
    }

    @Override
    public CompletionStage<AuthResult> authenticate(ClientMessage.Credentials credentials) {
        if (!NAME.equals(credentials.provider())) {
            return CompletableFuture.completedFuture(AuthResult.rejected("no_provider",
                    "no authentication provider accepts '" + credentials.provider() + "'"));
        }
        return CompletableFuture.completedFuture(check(credentials.token()));
    }

    /** The outcome for one token. */
    public AuthResult check(String token) {
        if (token == null || token.isBlank()) {
            return refused(TokenRefusal.MALFORMED);
        }
        JWT jwt;
        try {
            jwt = JWTParser.parse(token.strip());
        } catch (ParseException e) {
            return refused(TokenRefusal.MALFORMED);
        }
        if (!(jwt instanceof SignedJWT signed)) {
            // alg none (a PlainJWT), or an EncryptedJWT we hold no key for and would not trust without a signature
            return refused(TokenRefusal.UNSUPPORTED_ALG);
        }
        if (signed.getHeader().getCriticalParams() != null && !signed.getHeader().getCriticalParams().isEmpty()) {
            return refused(TokenRefusal.UNSUPPORTED_ALG);
        }
        TokenRefusal signature = keys.verify(signed);
        if (signature != null) {
            return refused(signature);
        }
        JWTClaimsSet claims;
        try {
            claims = signed.getJWTClaimsSet();
        } catch (ParseException e) {
            return refused(TokenRefusal.MALFORMED);
        }
        return claims(claims);
    }

    private AuthResult claims(JWTClaimsSet c) {
        long now = time.millis();
        long skew = settings.clockSkew().toMillis();
        Date exp = c.getExpirationTime();
        if (exp == null) {
            return refused(TokenRefusal.MISSING_CLAIM);
        }
        if (now > exp.getTime() + skew) {
            return refused(TokenRefusal.EXPIRED);
        }
        Date nbf = c.getNotBeforeTime();
        Date iat = c.getIssueTime();
        if (nbf != null && nbf.getTime() > now + skew || iat != null && iat.getTime() > now + skew) {
            return refused(TokenRefusal.NOT_YET_VALID);
        }
        long maxTtl = settings.maxTtl().toMillis();
        if (iat != null ? exp.getTime() - iat.getTime() > maxTtl : exp.getTime() - now > maxTtl + skew) {
            return refused(TokenRefusal.TOO_LONG_LIVED);
        }
        if (settings.issuer() != null && !settings.issuer().equals(c.getIssuer())) {
            return refused(TokenRefusal.WRONG_ISSUER);
        }
        if (settings.audience() != null) {
            List<String> aud = c.getAudience();
            if (aud == null || !aud.contains(settings.audience())) {
                return refused(TokenRefusal.WRONG_AUDIENCE);
            }
        }
        Object sub = c.getClaim("sub");
        Object name = c.getClaim(TokenClaims.NAME);
        if (sub == null || name == null) {
            return refused(TokenRefusal.MISSING_CLAIM);
        }
        String displayName = name instanceof String n ? SignInNames.displayName(n) : null;
        if (!(sub instanceof String user) || !SignInNames.isUserId(user) || displayName == null) {
            return refused(TokenRefusal.BAD_CLAIM);
        }
        if (isRevoked(user, iat, exp, now)) {
            return refused(TokenRefusal.REVOKED);
        }
        Object room = c.getClaim(TokenClaims.ROOM);
        if (room != null && !(room instanceof String r && SignInNames.isRoomId(r))) {
            return refused(TokenRefusal.BAD_CLAIM);
        }
        Object admin = c.getClaim(TokenClaims.ADMIN);
        if (admin != null && !(admin instanceof Boolean)) {
            return refused(TokenRefusal.BAD_CLAIM);
        }
        Map<String, String> roles = roleGrants(c.getClaim(TokenClaims.ROLES));
        if (roles == null) {
            return refused(TokenRefusal.BAD_CLAIM);
        }
        return AuthResult.accepted(new Principal(user, displayName, null, Boolean.TRUE.equals(admin), false,
                roles, (String) room));
    }

    /** The token's role grants; empty without the claim, null when it is malformed (the token is then refused). */
    static Map<String, String> roleGrants(Object claim) {
        if (claim == null) {
            return Map.of();
        }
        if (!(claim instanceof Map<?, ?> grants) || grants.size() > TokenClaims.MAX_ROLES) {
            return null;
        }
        Map<String, String> roles = new java.util.HashMap<>();
        for (Map.Entry<?, ?> e : grants.entrySet()) {
            if (!(e.getKey() instanceof String roomId) || !SignInNames.isRoomId(roomId)
                    || !(e.getValue() instanceof String role) || !TokenClaims.GRANTABLE.contains(role)) {
                return null;
            }
            roles.put(roomId, role);
        }
        return roles;
    }

    /**
     * Whether the user was revoked at or after the token was issued. {@code iat} has whole seconds, so a token
     * minted in the second of the revocation is refused too. A token without {@code iat} could have been issued any
     * time up to {@code maxTtl} before its {@code exp}: it is refused when that span reaches back to the revocation.
     */
    private boolean isRevoked(String user, Date iat, Date exp, long now) {
        OptionalLong revokedAt = revocations.revokedAt(user);
        if (revokedAt.isEmpty()) {
            return false;
        }
        long at = revokedAt.getAsLong();
        if (iat != null) {
            return iat.getTime() <= at;
        }
        return exp.getTime() - settings.maxTtl().toMillis() - settings.clockSkew().toMillis() <= at;
    }

    private static AuthResult refused(TokenRefusal refusal) {
        return AuthResult.rejected(refusal.code(), refusal.message());
    }
}
