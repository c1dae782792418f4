package io.presence.turn.handler;

import io.presence.stun.AttributeType;
import io.presence.stun.IntegrityKey;
import io.presence.stun.StunAttribute;
import io.presence.stun.StunMessage;
import io.presence.stun.attr.ErrorCode;
import io.presence.stun.server.StunPeer;
import io.presence.turn.auth.ChallengeLimiter;
import io.presence.turn.auth.Nonces;
import io.presence.turn.auth.RestCredentials;
import io.presence.turn.auth.RestUsername;
import io.presence.turn.auth.Revocations;
import io.presence.turn.metrics.TurnMetrics;
import io.presence.turn.metrics.TurnMetrics.AuthFailure;

/**
 * The long-term credential check of every TURN request (RFC 8489 §9.2.4) with REST usernames, in the RFC's
 * order, cheapest refusals first:
 * <ol>
 *   <li>no MESSAGE-INTEGRITY → 401 with REALM and NONCE (the normal first round trip);</li>
 *   <li>MESSAGE-INTEGRITY without USERNAME, REALM or NONCE → 400;</li>
 *   <li>a NONCE this server did not issue to this address, or one past its lifetime → 438 with a fresh one;</li>
 *   <li>a USERNAME that is not {@code <expiry>:<room>:<participant>}, an expired one (strict expiry: on every
 *       request, not only Allocate), one whose expiry lies beyond {@code maxCredentialTtl} plus
 *       {@link RestCredentials#CLOCK_SKEW} from now (a revocation is remembered only that long, so a longer-lived
 *       credential could outlive it), or a revoked one → 401, before any HMAC is computed;</li>
 *   <li>MESSAGE-INTEGRITY that no configured secret verifies (compared in constant time) → 401.</li>
 * </ol>
 * Every 401/438 goes through the per-source-IP {@link ChallengeLimiter}; over the rate the request is dropped
 * and counted. Responses never echo SOFTWARE or a reason phrase.
 *
 * <p>Thread-safe.
 */
final class Authenticator {
    /** An authenticated request's identity. */
    record Auth(String username, RestUsername user, IntegrityKey key) {
    }

    private final RestCredentials credentials;
    private final Nonces nonces;
    private final Revocations revocations;
    private final ChallengeLimiter limiter;
    private final TurnMetrics metrics;

    Authenticator(RestCredentials credentials, Nonces nonces, Revocations revocations, ChallengeLimiter limiter,
                  TurnMetrics metrics) {
        this.credentials = credentials;
        this.nonces = nonces;
        this.revocations = revocations;
        this.limiter = limiter;
        this.metrics = metrics;
    }

    /** The identity of {@code request}, or null when it was refused (the answer, if any, has been sent). */
    Auth authenticate(StunPeer peer, StunMessage request) {
        if (!request.hasMessageIntegrity() && !request.hasMessageIntegritySha256()) {
            challenge(peer, request, ErrorCode.UNAUTHENTICATED);
            return null;
        }
        StunAttribute username = request.first(AttributeType.USERNAME);
        StunAttribute realm = request.first(AttributeType.REALM);
        StunAttribute nonce = request.first(AttributeType.NONCE);
        if (username == null || realm == null || nonce == null) {
            metrics.authFailure(AuthFailure.MISSING_ATTRIBUTES);
            Responses.error(peer, request, ErrorCode.BAD_REQUEST, null);
            return null;
        }
        if (nonces.check(nonce.utf8(), peer.remoteAddress()) != Nonces.Check.VALID) {
            metrics.authFailure(AuthFailure.STALE_NONCE);
            challenge(peer, request, ErrorCode.STALE_NONCE);
            return null;
        }
        String name = username.utf8();
        RestUsername user = RestUsername.parse(name);
        if (user == null) {
            return refuse(peer, request, AuthFailure.MALFORMED_USERNAME);
        }
        if (credentials.expired(user)) {
            return refuse(peer, request, AuthFailure.EXPIRED);
        }
        if (credentials.beyondMaxTtl(user)) {
            return refuse(peer, request, AuthFailure.BEYOND_MAX_TTL);
        }
        if (revocations.isRevoked(user)) {
            return refuse(peer, request, AuthFailure.REVOKED);
        }
        IntegrityKey key = credentials.verify(name, request);
        if (key == null) {
            return refuse(peer, request, AuthFailure.BAD_INTEGRITY);
        }
        return new Auth(name, user, key);
    }

    private Auth refuse(StunPeer peer, StunMessage request, AuthFailure reason) {
        metrics.authFailure(reason);
        challenge(peer, request, ErrorCode.UNAUTHENTICATED);
        return null;
    }

    private void challenge(StunPeer peer, StunMessage request, int code) {
        if (!limiter.tryAcquire(peer.remoteAddress().getAddress(), System.nanoTime())) {
            metrics.challengeRateLimited();
            return;
        }
        metrics.challengeSent();
        Responses.challenge(peer, request, code, credentials.realm(), nonces.issue(peer.remoteAddress()));
    }
}
