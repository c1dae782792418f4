package io.presence.signaling.room;

import io.presence.signaling.protocol.ChatMessageView;

import java.util.List;

/**
 * A room's chat history. Called only on the room's event loop, so implementations need no locking; a persistent
 * implementation must not block that loop (it will get an asynchronous variant of {@link #append} when persistent
 * rooms arrive — acknowledgements then follow the commit).
 */
public interface ChatHistory {

    void append(ChatMessageView message);

    /** Up to {@code limit} messages with id below {@code before} (null = newest), oldest first. */
    Page page(Long before, int limit);

    /** Whether a message with this id is still known (for reply-to validation). */
    boolean contains(long messageId);

    record Page(List<ChatMessageView> messages, boolean hasMore) {
    }
}
