package io.presence.signaling.storage;

import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Where rooms are kept while no one is in them. The room directory asks it for a room that is not loaded, and
 * tells it about every room created. Stages may complete on any thread; implementations never block the caller
 * (an event loop).
 *
 * <p>Thread-safe.
 */
public interface RoomStore {

    /** The room, or empty when this store has no room with that id. */
    CompletionStage<Optional<RoomRecord>> load(String roomId);

    /** Keeps a new room; completes after the write. The room is not handed out before it completes. */
    CompletionStage<Void> create(RoomRecord room);
}
