package io.presence.signaling.storage;

import java.util.concurrent.CompletionStage;

/**
 * One room's chat as its store keeps it: assigns message ids, writes, recognises retries, pages the history.
 *
 * <p>Called only on the room's loop, one call at a time, so an implementation needs no locking for what it keeps
 * in memory; it must never block that loop. Stages may complete on any thread (the room hops back to its loop).
 * The room delivers appends in the order it made them, whatever order their stages complete in.
 */
public interface ChatLog {

    /**
     * Writes {@code draft} and completes after the write: {@link AppendResult.Stored} with the id assigned,
     * {@link AppendResult.Duplicate} when the same user's {@code clientMsgId} was appended before (or is being
     * appended), {@link AppendResult.UnknownReplyTo} when {@code replyTo} names no message of this room. Completes
     * exceptionally when the write failed; nothing is delivered then.
     */
    CompletionStage<AppendResult> append(ChatDraft draft);

    /** Up to {@code limit} messages with id below {@code before} (null = newest), oldest first. */
    CompletionStage<ChatPage> page(Long before, int limit);
}
