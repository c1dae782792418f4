package io.presence.signaling.storage;

import io.presence.signaling.protocol.ChatMessageView;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Where rooms are kept while no one is in them. The room directory asks it for a room that is not loaded, and
 * tells it about every room created; a room asks it to keep the room when it is named. Stages may complete on any
 * thread; implementations never block the caller (an event loop).
 *
 * <p>Thread-safe.
 */
public interface RoomStore {

    /** The room, or empty when this store has no room with that id. */
    CompletionStage<Optional<RoomRecord>> load(String roomId);

    /** Keeps a new room; completes after the write. The room is not handed out before it completes. */
    CompletionStage<Void> create(RoomRecord room);

    /**
     * Keeps {@code room} under {@code name} with its members and the chat it holds in memory, and completes after
     * the commit; from then on {@link ChatStore#open} gives the room's persistent chat. Naming a kept room renames
     * it. Completes exceptionally with {@link PersistenceUnsupportedException} when this store keeps no rooms.
     */
    CompletionStage<Void> persist(RoomRecord room, String name, List<RoomMembership> members,
                                  List<ChatMessageView> history);

    /** The kept rooms {@code userId} is a member of (none when this store keeps no rooms). */
    CompletionStage<List<RoomSummary>> roomsOf(String userId);
}
