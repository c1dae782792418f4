package io.presence.signaling.storage;

/** A {@link ChatLog#page(Long, Long, int)} answer: the page, or the cursor named no message of the room. */
public sealed interface PageResult {

    record Found(ChatPage page) implements PageResult {
    }

    /** {@code field} ({@code before} or {@code after}) named no message of this room. */
    record UnknownCursor(String field, long messageId) implements PageResult {
    }
}
