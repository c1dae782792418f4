package io.presence.signaling.room;

import io.presence.signaling.identity.Principal;
import io.presence.signaling.identity.RoomRole;

/**
 * What a joining session's sign-in says about its place in one room, for {@link Room#join}.
 *
 * @param granted     the role the sign-in grants in the room (a token's role claim, or the creator's ownership),
 *                    or null
 * @param serverAdmin the principal administers the server: owner rights here, and entry to any persistent room
 * @param guest       the principal is a guest: its role is guest whatever else applies
 */
public record JoinClaim(RoomRole granted, boolean serverAdmin, boolean guest) {
    /** No grant, no admin, no guest: a plain account. */
    public static final JoinClaim NONE = new JoinClaim(null, false, false);
    /** The creator of a room: its owner. */
    public static final JoinClaim CREATOR = new JoinClaim(RoomRole.OWNER, false, false);

    /** What {@code principal} brings into {@code roomId}; a role name the core does not know grants nothing. */
    public static JoinClaim of(Principal principal, String roomId) {
        return new JoinClaim(RoomRole.fromWire(principal.roleIn(roomId)), principal.serverAdmin(), principal.guest());
    }

    /** The same claim as the room's creator: owner, unless a guest. */
    public JoinClaim asCreator() {
        return new JoinClaim(RoomRole.OWNER, serverAdmin, guest);
    }
}
