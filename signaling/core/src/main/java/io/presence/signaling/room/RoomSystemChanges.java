package io.presence.signaling.room;

import io.presence.signaling.protocol.ChatMessageView;
import io.presence.signaling.protocol.ErrorCode;
import io.presence.signaling.protocol.RoomEvent;
import io.presence.signaling.storage.RoomStore;
import io.presence.signaling.storage.StorageErrors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Changes the server itself makes to a room (the host-platform API), not a member: there is no member to answer, so
 * each completes a stage on the room's loop once the change is made and sent, or fails it with
 * {@link RoomChangeRefused} and changes nothing. They wait for a room write in flight like members' changes do, and
 * leave an empty room to unload as it would after a member left. Events name {@link Room#BY_SYSTEM}.
 *
 * <p>Concurrency: owned by one {@link Room} and called on the room's loop alone; the room submits each request.
 */
final class RoomSystemChanges {
    private static final Logger log = LoggerFactory.getLogger(RoomSystemChanges.class);

    /** The room's close, as a member's {@code room.close} does it: a kept room deleted first, then everyone out. */
    interface Close {
        /**
         * @param closedNow runs once every member is out
         * @param failed    gets the failure of a kept room's delete, which changed nothing
         * @param then      runs after what waited for the delete
         */
        void close(Runnable closedNow, Consumer<Throwable> failed, Runnable then);
    }

    private final String roomId;
    private final RoomWrites writes;
    private final RoomStore store;
    private final RoomChat chat;
    private final BooleanSupplier closed;
    private final BooleanSupplier persistent;
    private final Consumer<RoomEvent> broadcast;
    private final Close close;
    /** The room may have no member left: it unloads or arms its idle timer. */
    private final Runnable emptied;

    RoomSystemChanges(String roomId, RoomWrites writes, RoomStore store, RoomChat chat, BooleanSupplier closed,
                      BooleanSupplier persistent, Consumer<RoomEvent> broadcast, Close close, Runnable emptied) {
        this.roomId = roomId;
        this.writes = writes;
        this.store = store;
        this.chat = chat;
        this.closed = closed;
        this.persistent = persistent;
        this.broadcast = broadcast;
        this.close = close;
        this.emptied = emptied;
    }

    /** See {@link Room#renameBySystem}. */
    void rename(String name, CompletableFuture<Void> done) {
        if (refusedAsGone(done) || writes.deferred(() -> rename(name, done))) {
            return;
        }
        if (!persistent.getAsBoolean()) {
            done.completeExceptionally(new RoomChangeRefused(ErrorCode.NOT_PERSISTENT, "the room is not kept"));
            emptied.run();
            return;
        }
        writes.begin();
        writes.complete(store.rename(roomId, name), (written, failure) -> {
            if (failure != null) {
                log.warn("room {}: renaming failed: {}", roomId, StorageErrors.describe(failure));
                done.completeExceptionally(new RoomChangeRefused(StorageErrors.codeOf(failure),
                        "the room could not be renamed"));
            } else {
                broadcast.accept(new RoomEvent.RoomRenamed(roomId, name, Room.BY_SYSTEM));
                done.complete(null);
            }
        }, emptied);
    }

    /** See {@link Room#closeBySystem}. */
    void close(CompletableFuture<Void> done) {
        if (refusedAsGone(done) || writes.deferred(() -> close(done))) {
            return;
        }
        // A closed room's emptied() does nothing: only a failed close leaves the room to unload when empty.
        close.close(() -> done.complete(null), failure -> done.completeExceptionally(
                new RoomChangeRefused(StorageErrors.codeOf(failure), "the room could not be closed; nothing changed")),
                emptied);
    }

    /** See {@link Room#postBySystem}. */
    void post(String text, CompletableFuture<ChatMessageView> done) {
        if (refusedAsGone(done) || writes.deferred(() -> post(text, done))) {
            return;
        }
        // Completed on this loop once delivered; an empty room then unloads as after a member left.
        done.whenComplete((message, failure) -> emptied.run());
        chat.sendSystem(text, done);
    }

    private boolean refusedAsGone(CompletableFuture<?> done) {
        if (closed.getAsBoolean()) {
            done.completeExceptionally(new RoomChangeRefused(ErrorCode.UNKNOWN_ROOM,
                    "no room with id '" + roomId + "'"));
            return true;
        }
        return false;
    }
}
