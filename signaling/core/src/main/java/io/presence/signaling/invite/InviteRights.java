package io.presence.signaling.invite;

import io.presence.signaling.identity.Access;
import io.presence.signaling.identity.Principal;
import io.presence.signaling.identity.RoomAction;
import io.presence.signaling.identity.RoomRole;
import io.presence.signaling.room.RoomKind;
import io.presence.signaling.room.RoomRights;
import io.presence.signaling.storage.RoomMembership;
import io.presence.signaling.storage.RoomRecord;

import java.util.List;

/**
 * The role a principal manages a kept room's invites with, decided from what the invites see without loading the
 * room, as the room decides it on join: the user's kept role, else owner for the room's creator, raised by a role the
 * sign-in grants in that room; a guest is a guest. What that role may do is {@link RoomRights}'s alone.
 */
final class InviteRights {

    private InviteRights() {
    }

    static Access check(Principal principal, RoomRecord room, List<RoomMembership> members, RoomAction action) {
        RoomRole role = roleOf(principal, room, members);
        if (role == null && !principal.serverAdmin()) {
            return Access.refused(RoomRights.NOT_MEMBER, "only the room's members manage its invites");
        }
        return RoomRights.may(role == null ? RoomRole.MEMBER : role, principal.serverAdmin(),
                room.direct() ? RoomKind.DIRECT : RoomKind.PERSISTENT, action);
    }

    private static RoomRole roleOf(Principal principal, RoomRecord room, List<RoomMembership> members) {
        if (principal.guest()) {
            return RoomRole.GUEST;
        }
        RoomRole known = null;
        for (RoomMembership m : members) {
            if (m.userId().equals(principal.userId())) {
                known = RoomRole.fromWire(m.role());
                break;
            }
        }
        if (known == null && room.createdBy().equals(principal.userId())) {
            known = RoomRole.OWNER;
        }
        String grant = principal.roleIn(room.id());
        RoomRole granted = grant == null ? null : RoomRole.fromWire(grant);
        if (granted == null || granted == RoomRole.GUEST) {
            return known;
        }
        return known == null ? granted : RoomRole.higher(granted, known);
    }
}
