package io.presence.signaling.storage;

import io.presence.signaling.protocol.ChatMessageView;

/** How a {@link ChatLog#append} ended, when it did not fail. */
public sealed interface AppendResult {

    /** Written under a new id, greater than every earlier one of the room. */
    record Stored(ChatMessageView message) implements AppendResult {
    }

    /** The same user sent this client message id before: nothing was written; {@code earlier} is that message. */
    record Duplicate(ChatMessageView earlier) implements AppendResult {
    }

    /** Not written: {@code replyTo} names no message of the room's history. */
    record UnknownReplyTo(long replyTo) implements AppendResult {
    }
}
