package io.presence.signaling.protocol;

/**
 * One persistent room as {@code room.list} shows it to a member.
 *
 * @param unread messages the member has not read; read markers are not kept, so it is always 0
 */
public record RoomListing(String roomId, String name, long unread) {
}
