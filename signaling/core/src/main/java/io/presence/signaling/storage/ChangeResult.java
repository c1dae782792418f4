package io.presence.signaling.storage;

import io.presence.signaling.protocol.ChatMessageView;
import io.presence.signaling.protocol.ErrorCode;

/** How an edit or a delete of one message ended, when it did not fail. */
public sealed interface ChangeResult {

    /** Written; {@code message} is the message as it is now kept. */
    record Changed(ChatMessageView message) implements ChangeResult {
    }

    /** It was so already (a message deleted twice): nothing was written. */
    record Unchanged(ChatMessageView message) implements ChangeResult {
    }

    /** The room's {@link ChangeRule} refused it: nothing was written; {@code code} and {@code message} say why. */
    record Refused(ErrorCode code, String message) implements ChangeResult {
    }

    /** No message with that id in this room (or none the log still holds). */
    record UnknownMessage(long messageId) implements ChangeResult {
    }
}
