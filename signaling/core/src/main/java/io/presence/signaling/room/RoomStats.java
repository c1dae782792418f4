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

    /** A room was loaded into memory: created, or loaded from the store ({@code persistent}). */
    default void roomLoaded(boolean persistent) {
    }

    /** A room left memory; {@code persistent} when the store keeps it (it can be loaded again). */
    default void roomUnloaded(boolean persistent) {
    }

    /**
     * A chat message was acknowledged (stored, or recognised as a retry), {@code acceptedNanos} being when the
     * room accepted it on the core's time source; {@code persistent}: its room keeps chat in the database, where
     * the ack waits for the commit.
     */
    default void chatAcknowledged(boolean persistent, long acceptedNanos) {
    }
}
