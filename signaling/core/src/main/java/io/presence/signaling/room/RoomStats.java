package io.presence.signaling.room;

/** What rooms report for metrics. Implementations are thread-safe and cheap; {@link #NONE} does nothing. */
public interface RoomStats {
    RoomStats NONE = new RoomStats() {
    };

    default void roomOpened() {
    }

    default void roomClosed() {
    }

    default void memberAdded() {
    }

    default void memberRemoved() {
    }

    /** A chat message was accepted, or recognised as a retry of an accepted one. */
    default void chatAccepted(boolean duplicate) {
    }
}
