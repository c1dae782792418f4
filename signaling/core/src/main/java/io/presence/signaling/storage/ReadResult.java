package io.presence.signaling.storage;

/** How a {@link ChatLog#markRead} ended, when it did not fail. */
public sealed interface ReadResult {

    /** The user's marker moved forward to {@code messageId}. */
    record Moved(long messageId) implements ReadResult {
    }

    /** The marker was at or beyond that message already and stays at {@code marker}. */
    record Kept(long marker) implements ReadResult {
    }

    /** No message with that id in this room. */
    record UnknownMessage(long messageId) implements ReadResult {
    }
}
