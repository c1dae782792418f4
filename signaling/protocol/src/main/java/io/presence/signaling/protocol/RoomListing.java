package io.presence.signaling.protocol;

/**
 * One persistent room as {@code room.list} shows it to a member.
 *
 * @param unread messages above the user's read marker ({@code chat.read}) that others sent and nobody deleted
 */
public record RoomListing(String roomId, String name, long unread) {
}
