package io.presence.turn;

import io.presence.turn.auth.TurnCredentials;
import io.presence.turn.config.RoomPolicy;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * What the signaling side may do to the relay, in process. It is also the seam for running relays as
 * separate processes later (the calls become messages). All methods are thread-safe and non-blocking; they
 * may be called from an event loop.
 */
public interface RelayControl {
    /**
     * Credentials for {@code participant} of {@code room}, valid for {@code ttl} capped at the configured
     * maximum. Ids must be non-empty and contain no ':'.
     *
     * @throws IllegalArgumentException for a bad id or a non-positive ttl
     * @throws IllegalStateException    when the participant or room is revoked (the credentials could not work;
     *                                  give a re-admitted participant a new participant id)
     */
    TurnCredentials mint(String room, String participant, Duration ttl);

    /**
     * Revokes every credential of {@code participant} in {@code room}: its allocations stop relaying at once
     * and are torn down, and every further request with those credentials gets 401. Returns the number of
     * allocations torn down.
     */
    int revokeParticipant(String room, String participant);

    /** Revokes every credential of {@code room}, as {@link #revokeParticipant} for each participant. */
    int revokeRoom(String room);

    /** Sets how far the room's allocations may relay; {@link RoomPolicy#OPEN} is the default. */
    void setRoomPolicy(String room, RoomPolicy policy);

    RelayStats stats();

    /**
     * Whether {@code relayed} is the relayed transport address (as advertised in XOR-RELAYED-ADDRESS) of a live
     * allocation of {@code room}. The signaling side asks before it forwards a relay candidate in a relay-only
     * room; an allocation of another room answers the same as a free port.
     */
    boolean isRoomAllocation(String room, InetSocketAddress relayed);
}
