package io.presence.signaling.room;

/** How {@link RoomDirectory#open} ended, when it did not fail. */
public sealed interface RoomOpening {

    /** The room, loaded (it may have been already). */
    record Opened(Room room) implements RoomOpening {
    }

    /** No room: {@code reason} says why, {@code message} is for the client. */
    record Refused(Reason reason, String message) implements RoomOpening {
    }

    enum Reason {
        /** No loaded room and none in the store with that id. */
        UNKNOWN_ROOM
    }
}
