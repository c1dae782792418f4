package io.presence.signaling.storage;

import io.presence.signaling.protocol.ChatMessageView;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Keeps no room: a room exists while it is loaded and is gone once unloaded; naming one is refused. Everything completes at once, so
 * creating and opening rooms take no hop.
 */
public final class EphemeralRoomStore implements RoomStore {
    public static final EphemeralRoomStore INSTANCE = new EphemeralRoomStore();

    private static final CompletionStage<Optional<RoomRecord>> NONE = CompletableFuture.completedFuture(Optional.empty());
    private static final CompletionStage<Void> DONE = CompletableFuture.completedFuture(null);
    private static final CompletionStage<List<RoomSummary>> NO_ROOMS = CompletableFuture.completedFuture(List.of());

    private EphemeralRoomStore() {
    }

    @Override
    public CompletionStage<Optional<RoomRecord>> load(String roomId) {
        return NONE;
    }

    @Override
    public CompletionStage<Void> create(RoomRecord room) {
        return DONE;
    }

    /** Refused: naming a room needs a store that keeps rooms. */
    @Override
    public CompletionStage<Void> persist(RoomRecord room, String name, List<RoomMembership> members,
                                         List<ChatMessageView> history) {
        return CompletableFuture.failedFuture(new PersistenceUnsupportedException(
                "this server keeps no rooms: naming a room needs a database"));
    }

    @Override
    public CompletionStage<List<RoomSummary>> roomsOf(String userId) {
        return NO_ROOMS;
    }
}
