package io.presence.signaling.room;

import io.presence.signaling.identity.Access;
import io.presence.signaling.identity.RoomAction;
import io.presence.signaling.identity.RoomRole;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Who may do what in a room: the one table every check of a {@link Room} asks, written out in PROTOCOL.md (section
 * Rights). A refusal is an {@link Access.Refused} whose reason the client gets with the error {@code forbidden}.
 *
 * <p>A server admin acts with an owner's rights in any room it is in (its displayed role stays its own), except
 * that a direct room is its two users' alone. A guest is a guest whatever it claims.
 *
 * <p>Stateless and thread-safe.
 */
public final class RoomRights {
    public static final String NOT_MEMBER = "not_member";
    public static final String KICKED = "kicked";
    public static final String DIRECT_ROOM = "direct_room";
    /** The actor's role lacks the right. */
    public static final String ROLE = "role";
    /** The target's role is not below the actor's. */
    public static final String RANK = "rank";
    /** A guest's role cannot change. */
    public static final String GUEST = "guest";
    public static final String LAST_OWNER = "last_owner";
    public static final String SELF = "self";

    private static final Set<RoomRole> EVERYONE = EnumSet.allOf(RoomRole.class);
    private static final Set<RoomRole> OWNERS = EnumSet.of(RoomRole.OWNER);
    private static final Set<RoomRole> MANAGERS = EnumSet.of(RoomRole.OWNER, RoomRole.ADMIN);
    private static final Set<RoomRole> ACCOUNTS = EnumSet.of(RoomRole.OWNER, RoomRole.ADMIN, RoomRole.MEMBER);

    /** Rows of the table: which acting roles may do the action at all (over whom comes on top, see below). */
    private static final Map<RoomAction, Set<RoomRole>> TABLE = table();

    /** What a direct room allows nobody: it has no name to change, no third user, and no owner to close it. */
    private static final Set<RoomAction> NOT_IN_DIRECT = EnumSet.of(RoomAction.NAME, RoomAction.RENAME,
            RoomAction.CLOSE, RoomAction.KICK, RoomAction.ROLE, RoomAction.INVITE_CREATE, RoomAction.INVITE_REVOKE,
            RoomAction.INVITE_LIST);

    private RoomRights() {
    }

    private static Map<RoomAction, Set<RoomRole>> table() {
        Map<RoomAction, Set<RoomRole>> t = new EnumMap<>(RoomAction.class);
        for (RoomAction a : RoomAction.values()) {
            t.put(a, EVERYONE);
        }
        t.put(RoomAction.NAME, OWNERS);
        t.put(RoomAction.CLOSE, OWNERS);
        t.put(RoomAction.ROLE, OWNERS);
        t.put(RoomAction.RENAME, MANAGERS);
        t.put(RoomAction.SETTINGS, MANAGERS);
        t.put(RoomAction.KICK, MANAGERS);
        t.put(RoomAction.INVITE_CREATE, MANAGERS);
        t.put(RoomAction.INVITE_REVOKE, MANAGERS);
        t.put(RoomAction.INVITE_LIST, MANAGERS);
        // A direct room is between two accounts; a guest has none.
        t.put(RoomAction.DIRECT, ACCOUNTS);
        return t;
    }

    /** The role whose rights a member acts with. */
    public static RoomRole acting(RoomRole role, boolean serverAdmin) {
        return serverAdmin && role != RoomRole.GUEST ? RoomRole.OWNER : role;
    }

    /**
     * Whether a member of a {@code kind} room with {@code role} may do {@code action} there. For the chat
     * changes this is the right to change one's own messages; {@link #mayChangeOthers} decides the rest.
     */
    public static Access may(RoomRole role, boolean serverAdmin, RoomKind kind, RoomAction action) {
        if (kind == RoomKind.DIRECT) {
            if (NOT_IN_DIRECT.contains(action)) {
                return Access.refused(DIRECT_ROOM, "a direct room allows no " + describe(action));
            }
            if (action == RoomAction.SETTINGS) {
                // Two equal members: either one decides the privacy of their calls.
                return Access.GRANTED;
            }
        }
        RoomRole acting = acting(role, serverAdmin);
        if (TABLE.get(action).contains(acting)) {
            return Access.GRANTED;
        }
        return Access.refused(ROLE, "the role " + role.wire() + " may not " + describe(action) + " in this room");
    }

    /**
     * Whether the member may edit ({@link RoomAction#CHAT_EDIT}) or delete ({@link RoomAction#CHAT_DELETE}) another
     * member's message (with a reason, which the chat asks for). Deleting is moderation, owners' and admins'; editing
     * puts words in someone's mouth and stays the owners'.
     */
    public static boolean mayChangeOthers(RoomRole role, boolean serverAdmin, RoomAction action) {
        RoomRole acting = acting(role, serverAdmin);
        return switch (action) {
            case CHAT_DELETE -> MANAGERS.contains(acting);
            case CHAT_EDIT -> acting == RoomRole.OWNER;
            default -> throw new IllegalArgumentException(action + " changes no message");
        };
    }

    /**
     * Who may join a room they are not in: in an ephemeral room whoever knows the id, but not a user kicked from
     * it; in a persistent room its members, a user the sign-in grants a role in it, and a server admin; in a direct
     * room its two members only.
     *
     * @param member  the store keeps a membership of the user in the room (always false for an ephemeral room)
     * @param granted the sign-in grants the user a role in the room
     * @param guest   the user is a guest, who has no direct room
     * @param kicked  the user was kicked from this ephemeral room
     */
    public static Access mayJoin(RoomKind kind, boolean member, boolean granted, boolean serverAdmin, boolean guest,
                                 boolean kicked) {
        return switch (kind) {
            case EPHEMERAL -> kicked ? Access.refused(KICKED, "you were kicked from this room") : Access.GRANTED;
            case PERSISTENT -> member || granted || serverAdmin ? Access.GRANTED
                    : Access.refused(NOT_MEMBER, "only the room's members may join it");
            case DIRECT -> member && !guest ? Access.GRANTED
                    : Access.refused(NOT_MEMBER, "a direct room is its two users' only");
        };
    }

    /**
     * Whether the actor may kick the target: an owner kicks anyone but an owner, an admin members and guests; nobody
     * kicks themself (that is {@code room.leave}). Roles are acting roles ({@link #acting}).
     */
    public static Access mayKick(RoomRole actor, RoomRole target, boolean self) {
        if (self) {
            return Access.refused(SELF, "room.leave leaves a room; nobody kicks themself");
        }
        boolean below = actor == RoomRole.OWNER ? target != RoomRole.OWNER
                : actor == RoomRole.ADMIN && (target == RoomRole.MEMBER || target == RoomRole.GUEST);
        return below ? Access.GRANTED : Access.refused(RANK, "a " + target.wire() + " cannot be kicked by a "
                + actor.wire());
    }

    /**
     * Whether an owner may give the target {@code role}: any member or admin any role up to owner; an owner only
     * themself, and only while another owner remains; a guest never (it is a guest by its sign-in). The actor's
     * role is its acting role ({@link #acting}), the target's the one it holds: a server admin's own role can change.
     *
     * @param owners how many users are owners of the room now
     */
    public static Access mayGive(RoomRole actor, RoomRole target, boolean self, RoomRole role, int owners) {
        if (actor != RoomRole.OWNER) {
            return Access.refused(ROLE, "only an owner changes roles");
        }
        if (target == RoomRole.GUEST || role == RoomRole.GUEST) {
            return Access.refused(GUEST, "a guest is a guest by its sign-in; its role does not change");
        }
        if (target == RoomRole.OWNER && !self) {
            return Access.refused(RANK, "an owner's role is changed by that owner only");
        }
        if (self && role != RoomRole.OWNER && owners <= 1) {
            return Access.refused(LAST_OWNER, "the last owner cannot give up ownership; make another owner first");
        }
        return Access.GRANTED;
    }

    private static String describe(RoomAction action) {
        return action.name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }
}
