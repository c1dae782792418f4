package io.presence.signaling.identity;

/**
 * The rule of a sign-in limited to one room ({@link Principal#onlyRoom()}, e.g. a token's {@code room} claim): it
 * may act in that room only, and create none (a direct room neither), since a room it created would be a room it
 * was not given. Listing its own rooms stays allowed: it reveals nothing the principal could not reach anyway.
 * Policies that decide more than the room id ask this first.
 */
public final class RoomClaim {

    static final Access WRONG_ROOM = Access.refused("wrong_room", "this sign-in is limited to another room");
    static final Access NO_CREATE = Access.refused("wrong_room", "this sign-in is limited to one room and may not "
            + "create rooms");

    private RoomClaim() {
    }

    /** {@link Access#GRANTED} for a principal not limited to a room. */
    public static Access check(Principal principal, RoomAction action, String roomId) {
        String only = principal.onlyRoom();
        if (only == null || action == RoomAction.LIST) {
            return Access.GRANTED;
        }
        if (action == RoomAction.CREATE || action == RoomAction.DIRECT) {
            return NO_CREATE;
        }
        return only.equals(roomId) ? Access.GRANTED : WRONG_ROOM;
    }
}
