package io.presence.signaling.storage;

import java.util.concurrent.CompletableFuture;
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

    /**
     * Up to {@code limit} messages, oldest first: below {@code before}, or above {@code after}, or the newest when
     * both are null (never both set). {@code hasMore}: more messages exist beyond the page in the direction paged.
     * A cursor must name a message of this room (a deleted one counts), else {@link PageResult.UnknownCursor}.
     *
     * <p>The default serves logs that page only backwards, without checking the cursor (test stand-ins).
     */
    default CompletionStage<PageResult> page(Long before, Long after, int limit) {
        if (after != null) {
            return unsupported();
        }
        return page(before, limit).thenApply(PageResult.Found::new);
    }

    /**
     * Replaces the text of message {@code messageId} with {@code text}, edited at {@code at} (epoch ms) by user
     * {@code byUserId}, if {@code rule} allows it on the message as kept; completes after the write.
     * {@link ChangeResult.UnknownMessage} when the log holds no such message.
     */
    default CompletionStage<ChangeResult> edit(long messageId, String text, long at, String byUserId, String reason,
                                               ChangeRule rule) {
        return unsupported();
    }

    /**
     * Deletes message {@code messageId} (wipes its text, keeps the rest) at {@code at} (epoch ms) for user
     * {@code byUserId}, if {@code rule}
     * allows it; a message deleted already is {@link ChangeResult.Unchanged}. Completes after the write.
     */
    default CompletionStage<ChangeResult> delete(long messageId, long at, String byUserId, String reason,
                                                 ChangeRule rule) {
        return unsupported();
    }

    /**
     * Moves {@code userId}'s read marker forward to {@code messageId}, which must name a message of this room; a
     * marker at or beyond it stays. Completes after the write.
     */
    default CompletionStage<ReadResult> markRead(String userId, long messageId) {
        return unsupported();
    }

    /** What a log that keeps no edits, deletes or markers answers (a test stand-in): {@code not_supported}. */
    private static <T> CompletionStage<T> unsupported() {
        return CompletableFuture.failedFuture(new PersistenceUnsupportedException("this chat log keeps no changes"));
    }
}
