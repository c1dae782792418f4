package io.presence.signaling.live;

import java.net.InetAddress;
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

    /**
     * Whether a relay candidate at ({@code address}, {@code port}) may be forwarded in the relay-only room
     * {@code roomId}: the address must be a relayed address of this relay and, where the relay can tell, of a live
     * allocation of that room. Called on the room's event loop: must not block. The default admits none, since a
     * candidate labelled {@code typ relay} can carry any address and a relay nobody can ask vouches for nothing.
     */
    default boolean admitsRelayCandidate(String roomId, InetAddress address, int port) {
        return false;
    }
}
