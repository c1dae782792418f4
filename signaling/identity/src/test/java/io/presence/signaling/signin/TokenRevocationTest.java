package io.presence.signaling.signin;

import io.presence.signaling.identity.AuthResult;
import io.presence.signaling.identity.InMemoryRevocationList;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Date;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** A revoked user's tokens: those issued at or before the revocation are refused, later ones work again. */
class TokenRevocationTest {
    private static final long NOW = JwtAuthProviderTest.NOW_FOR_REVOCATION;

    final InMemoryRevocationList revocations = new InMemoryRevocationList();
    final JwtAuthProvider provider = new JwtAuthProvider(revocationKeys(), new JwtSettings(Duration.ofSeconds(60),
            Duration.ofHours(24), "presence-test", "presence"), JwtAuthProviderTest.TIME, revocations);

    private static TokenKeys revocationKeys() {
        try {
            return TokenKeys.of(List.of(JwtAuthProviderTest.KEY_FOR_REVOCATION), List.of());
        } catch (TokenKeyException e) {
            throw new AssertionError(e);
        }
    }

    private String token(String user, Long issuedAt, long expiresAt) throws Exception {
        var claims = JwtAuthProviderTest.claims().subject(user).issueTime(issuedAt == null ? null : new Date(issuedAt))
                .expirationTime(new Date(expiresAt));
        return JwtAuthProviderTest.hs(JwtAuthProviderTest.KEY_FOR_REVOCATION, claims);
    }

    private String reason(String token) {
        AuthResult r = provider.check(token);
        return r instanceof AuthResult.Rejected rejected ? rejected.reason() : "accepted";
    }

    @Test
    void tokensIssuedUpToTheRevocationAreRefusedLaterOnesWork() throws Exception {
        revocations.revoke("alice", NOW - 10_000);
        assertEquals("revoked", reason(token("alice", NOW - 20_000, NOW + 3_600_000)));
        assertEquals("revoked", reason(token("alice", NOW - 10_000, NOW + 3_600_000)), "at the moment itself");
        assertEquals("accepted", reason(token("alice", NOW - 9_000, NOW + 3_600_000)));
        assertEquals("accepted", reason(token("bob", NOW - 20_000, NOW + 3_600_000)), "only that user");
    }

    @Test
    void aTokenWithoutIatIsRefusedWhileItCouldPredateTheRevocation() throws Exception {
        revocations.revoke("alice", NOW - 10_000);
        assertEquals("revoked", reason(token("alice", null, NOW + 3_600_000)),
                "24 h back from its exp reaches the revocation");
        revocations.revoke("carol", NOW - Duration.ofHours(25).toMillis());
        assertEquals("accepted", reason(token("carol", null, NOW + 3_600_000)));
    }

    @Test
    void aLaterRevocationMovesTheMomentAnEarlierOneDoesNot() throws Exception {
        revocations.revoke("alice", NOW - 10_000);
        revocations.revoke("alice", NOW - 50_000);
        assertEquals("revoked", reason(token("alice", NOW - 20_000, NOW + 3_600_000)));
        assertInstanceOf(AuthResult.Accepted.class, provider.check(token("alice", NOW - 5_000, NOW + 3_600_000)));
    }
}
