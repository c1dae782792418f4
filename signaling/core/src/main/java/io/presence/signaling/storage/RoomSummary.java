package io.presence.signaling.storage;

/**
 * A persistent room as {@code room.list} shows it to one member.
 *
 * @param direct the direct room of the member and {@code with}
 * @param with   the other user of a direct room; null for any other room
 */
public record RoomSummary(String roomId, String name, long unread, boolean direct, String with) {

    /** A room that is not a direct room. */
    public RoomSummary(String roomId, String name, long unread) {
        this(roomId, name, unread, false, null);
    }
}
