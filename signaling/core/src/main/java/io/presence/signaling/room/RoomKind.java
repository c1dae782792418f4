package io.presence.signaling.room;

/** What kind of room a room is; the rights differ between them ({@link RoomRights}). */
public enum RoomKind {
    /** In memory only; its id is the capability to join it. */
    EPHEMERAL,
    /** Kept by the store; only its members join it. */
    PERSISTENT,
    /** The kept room of exactly two users, found by their pair; nobody else ever joins it. */
    DIRECT
}
