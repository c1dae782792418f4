package io.presence.signaling.app;

import io.presence.signaling.live.CredentialMinter;
import io.presence.signaling.live.Credentials;
import io.presence.turn.RelayControl;
import io.presence.turn.config.RoomPolicy;
import io.presence.turn.auth.TurnCredentials;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * Calls' credentials from the in-process relay: minting, immediate revocation, and the room's privacy policy all
 * go through {@link RelayControl}, the same seam a separate relay process would sit behind. Thread safe (as
 * RelayControl is); every method is non-blocking, so rooms call it from their event loop.
 */
final class RelayCredentialMinter implements CredentialMinter {

    private final RelayControl relay;

    RelayCredentialMinter(RelayControl relay) {
        this.relay = relay;
    }

    @Override
    public Credentials mint(String roomId, String participantId, Duration ttl) {
        TurnCredentials c = relay.mint(roomId, participantId, ttl);
        // The relay caps the TTL at turn.maxCredentialTtl: tell the client the real one.
        return new Credentials(c.username(), c.password(), Math.max(1, c.ttl().toSeconds()), c.expiry());
    }

    @Override
    public void revoke(String roomId, String participantId) {
        relay.revokeParticipant(roomId, participantId);
    }

    @Override
    public void roomPolicy(String roomId, boolean relayOnly) {
        relay.setRoomPolicy(roomId, relayOnly ? RoomPolicy.RELAY_ONLY : RoomPolicy.OPEN);
    }

    @Override
    public void roomClosed(String roomId) {
        relay.revokeRoom(roomId);
    }

    @Override
    public boolean admitsRelayCandidate(String roomId, InetAddress address, int port) {
        return port > 0 && port <= 65535 && relay.isRoomAllocation(roomId, new InetSocketAddress(address, port));
    }
}
