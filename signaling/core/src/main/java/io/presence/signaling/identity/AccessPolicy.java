package io.presence.signaling.identity;

/**
 * Decides whether a principal may do an action in a room. Called for every request about a room, on the
 * session's loop, before the room is looked up: an implementation decides from the principal's claims and the
 * room id, must be fast and must never block.
 *
 * <p>Thread-safe.
 */
@FunctionalInterface
public interface AccessPolicy {

    /**
     * The ephemeral rooms' rule: a room id is the capability. Whoever knows the id of an open room may join it and
     * act in it; the limits (members per room, rooms per session, call size) and the membership checks stay with
     * the rooms and sessions that enforce them. A principal limited to one room ({@link RoomClaim}) stays in it.
     */
    AccessPolicy ROOM_ID_IS_CAPABILITY = RoomClaim::check;

    /** @param roomId the room the request names; null for {@link RoomAction#CREATE} and {@link RoomAction#LIST} */
    Access check(Principal principal, RoomAction action, String roomId);
}
