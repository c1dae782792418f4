package io.presence.signaling.identity;

/**
 * A member's role in one room, from the most to the least rights. Memberships keep the lowercase {@link #wire()}
 * name; what each role may do is the core's rights table ({@code room.RoomRights}).
 */
public enum RoomRole {
    OWNER("owner"),
    ADMIN("admin"),
    MEMBER("member"),
    /** Follows from the sign-in ({@link Principal#guest()}), never from a grant or a role change. */
    GUEST("guest");

    private final String wire;

    RoomRole(String wire) {
        this.wire = wire;
    }

    /** The name on the wire and in the store. */
    public String wire() {
        return wire;
    }

    /** The one of {@code a} and {@code b} with more rights (the declaration order is the rank). */
    public static RoomRole higher(RoomRole a, RoomRole b) {
        return a.ordinal() <= b.ordinal() ? a : b;
    }

    /** The role named {@code wire}, or null when there is none by that name. */
    public static RoomRole fromWire(String wire) {
        for (RoomRole role : values()) {
            if (role.wire.equals(wire)) {
                return role;
            }
        }
        return null;
    }
}
