package io.presence.signaling.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One persistent room as {@code room.list} shows it to a member.
 *
 * @param unread messages above the user's read marker ({@code chat.read}) that others sent and nobody deleted
 * @param direct true for the member's direct room with {@code with}; absent for any other room
 * @param with   the other user's id in a direct room, so a client can show that user's name
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RoomListing(String roomId, String name, long unread, Boolean direct, String with) {

    /** A room that is not a direct room. */
    public RoomListing(String roomId, String name, long unread) {
        this(roomId, name, unread, null, null);
    }
}
