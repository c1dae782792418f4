package io.presence.signaling.live;

import java.time.Duration;

/**
 * Mints TURN credentials for (room, participant). Two implementations: the in-process relay's (which can also
 * revoke at once) and {@link CoturnRestMinter} for an external coturn. Implementations are thread safe.
 */
public interface CredentialMinter {

    /**
     * Fresh credentials valid for {@code ttl} from now.
     *
     * @throws IllegalArgumentException if an id is empty or contains a character the scheme cannot carry, or
     *                                  {@code ttl} is not positive
     */
    Credentials mint(String roomId, String participantId, Duration ttl);

    /**
     * Makes every credential minted for (room, participant) unusable now, where the relay supports it. The
     * default does nothing: coturn's REST credentials stay valid until they expire, which is why their TTL is
     * short.
     */
    default void revoke(String roomId, String participantId) {
    }

    /**
     * The room's privacy mode, before its first credentials are minted: where the relay supports it, a relay-only
     * room's allocations may relay only to other allocations of the same room. The default does nothing.
     */
    default void roomPolicy(String roomId, boolean relayOnly) {
    }

    /** The room closed: every credential minted for it may be revoked. The default does nothing. */
    default void roomClosed(String roomId) {
    }
}
