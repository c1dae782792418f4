package io.presence.signaling.identity;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** A principal limited to one room acts there only, creates none; others are unaffected by the default policy. */
class RoomClaimTest {
    private final AccessPolicy policy = AccessPolicy.ROOM_ID_IS_CAPABILITY;
    private final Principal limited = new Principal("alice", "Alice", null, false, false, Map.of(), "room-1");
    private final Principal free = Principal.user("bob", "Bob", null);

    @Test
    void aLimitedPrincipalMayActInItsRoomOnly() {
        for (RoomAction action : RoomAction.values()) {
            if (action == RoomAction.CREATE || action == RoomAction.LIST || action == RoomAction.DIRECT) {
                continue;
            }
            assertEquals(Access.GRANTED, policy.check(limited, action, "room-1"), action.name());
            Access other = policy.check(limited, action, "room-2");
            assertEquals("wrong_room", assertInstanceOf(Access.Refused.class, other).reason(), action.name());
        }
        assertEquals("wrong_room", assertInstanceOf(Access.Refused.class,
                policy.check(limited, RoomAction.CREATE, null)).reason());
        assertEquals("wrong_room", assertInstanceOf(Access.Refused.class,
                policy.check(limited, RoomAction.DIRECT, null)).reason(), "a direct room is a room not given");
        assertEquals(Access.GRANTED, policy.check(limited, RoomAction.LIST, null));
    }

    @Test
    void anUnlimitedPrincipalKeepsTheRoomIdAsItsCapability() {
        assertEquals(Access.GRANTED, policy.check(free, RoomAction.CREATE, null));
        assertEquals(Access.GRANTED, policy.check(free, RoomAction.JOIN, "room-2"));
    }
}
