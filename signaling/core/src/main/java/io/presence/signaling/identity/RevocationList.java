package io.presence.signaling.identity;

import java.util.OptionalLong;
import java.util.concurrent.CompletionStage;

/**
 * Who has been revoked, and when: a sign-in proven before that moment (a token issued at or before it) is no
 * longer good; later ones are. Consulted on the sign-in path, so {@link #revokedAt} answers from memory and never
 * blocks; {@link #revoke} records at once in memory and makes it durable behind (the returned stage).
 *
 * <p>Thread-safe.
 */
public interface RevocationList {

    /**
     * Records that every sign-in of {@code userId} up to {@code revokedAtMillis} is revoked; a later revocation
     * of the same user moves the moment forward, an earlier one changes nothing.
     *
     * @return completes once the record is durable (at once for a list kept in memory only)
     */
    CompletionStage<Void> revoke(String userId, long revokedAtMillis);

    /** When {@code userId} was last revoked (epoch milliseconds), or empty. Never blocks. */
    OptionalLong revokedAt(String userId);
}
