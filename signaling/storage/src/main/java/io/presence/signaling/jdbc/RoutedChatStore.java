package io.presence.signaling.jdbc;

import io.presence.signaling.storage.ChatLog;
import io.presence.signaling.storage.ChatStore;

/**
 * Keeps the chat of a persistent room in the database and every other room's in memory, so ephemeral rooms
 * never touch the database (and keep working while it is away). A room is persistent when the
 * {@link JdbcRoomStore} loaded it from the database or made it persistent; the room directory loads a room
 * before it opens its chat.
 *
 * <p>Thread-safe.
 */
public final class RoutedChatStore implements ChatStore {
    private final JdbcRoomStore rooms;
    private final ChatStore persistent;
    private final ChatStore ephemeral;

    public RoutedChatStore(JdbcRoomStore rooms, ChatStore persistent, ChatStore ephemeral) {
        this.rooms = rooms;
        this.persistent = persistent;
        this.ephemeral = ephemeral;
    }

    @Override
    public ChatLog open(String roomId) {
        return rooms.isPersistent(roomId) ? persistent.open(roomId) : ephemeral.open(roomId);
    }
}
