package io.presence.signaling.storage;

import io.presence.signaling.protocol.ChatMessageView;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
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

    /**
     * Keeps the direct room {@code room} ({@link RoomRecord#direct()}) with its two memberships, unless a room with
     * its id is kept already: then nothing changes and it completes normally, so that two users opening their
     * direct room at once (on this appliance or another on the same database) end up in the one kept first.
     * Completes exceptionally with {@link PersistenceUnsupportedException} when this store keeps no rooms.
     */
    default CompletionStage<Void> keepDirect(RoomRecord room, List<RoomMembership> members) {
        return CompletableFuture.failedFuture(new PersistenceUnsupportedException(
                "this server keeps no rooms: a direct room needs a database"));
    }

    /** The kept rooms {@code userId} is a member of (none when this store keeps no rooms). */
    CompletionStage<List<RoomSummary>> roomsOf(String userId);

    // --- the lifecycle of a kept room: memberships, rename, settings, close. The defaults are those of a store
    // that keeps no rooms; a room calls the writes only once the store has kept it (persist or load).

    /** The memberships of the kept room {@code roomId} (none when this store keeps no rooms). */
    default CompletionStage<List<RoomMembership>> members(String roomId) {
        return CompletableFuture.completedFuture(List.of());
    }

    /**
     * Keeps {@code membership} of the kept room {@code roomId}, or updates the user's role and display name when it
     * is kept already; completes after the commit. By default nothing is kept: a store without memberships.
     */
    default CompletionStage<Void> addMember(String roomId, RoomMembership membership) {
        return CompletableFuture.completedFuture(null);
    }

    /**
     * Ends {@code userId}'s membership of the kept room {@code roomId} (its read marker goes with it); completes
     * after the commit, and quietly when there is none. By default nothing is kept: a store without memberships.
     */
    default CompletionStage<Void> removeMember(String roomId, String userId) {
        return CompletableFuture.completedFuture(null);
    }

    /** Gives the kept room {@code roomId} a new name; completes after the commit. */
    default CompletionStage<Void> rename(String roomId, String name) {
        return CompletableFuture.failedFuture(new PersistenceUnsupportedException("this store keeps no rooms"));
    }

    /** Keeps the privacy mode of the kept room's calls; completes after the commit. */
    default CompletionStage<Void> updateSettings(String roomId, boolean relayOnly) {
        return CompletableFuture.failedFuture(new PersistenceUnsupportedException("this store keeps no rooms"));
    }

    /**
     * Deletes the kept room {@code roomId} with everything kept about it (members, chat, read markers) in one
     * transaction; completes after the commit, from when on {@link #load} no longer finds it.
     */
    default CompletionStage<Void> close(String roomId) {
        return CompletableFuture.failedFuture(new PersistenceUnsupportedException("this store keeps no rooms"));
    }

    /**
     * The kept room's name and message count, or empty when this store has no room with that id (for the
     * host-platform API; none when this store keeps no rooms).
     */
    default CompletionStage<Optional<RoomDetails>> details(String roomId) {
        return CompletableFuture.completedFuture(Optional.empty());
    }
}
