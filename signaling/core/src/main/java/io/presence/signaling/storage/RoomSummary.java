package io.presence.signaling.storage;

/** A persistent room as {@code room.list} shows it to one member. */
public record RoomSummary(String roomId, String name, long unread) {
}
