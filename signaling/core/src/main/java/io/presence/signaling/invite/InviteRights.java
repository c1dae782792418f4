package io.presence.signaling.invite;

import io.presence.signaling.identity.Principal;
import io.presence.signaling.storage.RoomMembership;
import io.presence.signaling.storage.RoomRecord;

import java.util.List;
import java.util.Set;

/**
 * Who may create, revoke and list a room's invites: its owners and admins. The one place that decides it, so that
 * a rights table can take it over: the room's creator is an owner; otherwise the user's kept role, or the role the
 * sign-in provider grants in that room.
 */
final class InviteRights {
    static final Set<String> MANAGERS = Set.of("owner", "admin");

    private InviteRights() {
    }

    static boolean mayManage(Principal principal, RoomRecord room, List<RoomMembership> members) {
        if (principal.guest()) {
            return false;
        }
        String granted = principal.roleIn(room.id());
        if (room.createdBy().equals(principal.userId()) || granted != null && MANAGERS.contains(granted)) {
            return true;
        }
        for (RoomMembership m : members) {
            if (m.userId().equals(principal.userId())) {
                return MANAGERS.contains(m.role());
            }
        }
        return false;
    }
}
