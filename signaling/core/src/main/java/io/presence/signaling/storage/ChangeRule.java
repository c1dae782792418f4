package io.presence.signaling.storage;

import io.presence.signaling.protocol.ChatMessageView;

/**
 * The room's rights over one edit or delete, which the log applies to the message as it finds it, in the same
 * step as the change: so the decision and the write see the same message. Pure: it may run on a storage thread.
 */
@FunctionalInterface
public interface ChangeRule {

    /** Null when the change may go ahead on {@code current}; else why not. */
    ChangeResult.Refused refusal(ChatMessageView current);
}
