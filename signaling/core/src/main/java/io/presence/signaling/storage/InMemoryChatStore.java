package io.presence.signaling.storage;

import io.presence.signaling.protocol.ChatMessageView;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.UnaryOperator;

/**
 * Each room's chat in memory, gone with the room: its last {@code historySize} messages in a ring, ids counting
 * from 1, and the recent (user, client message id) pairs for recognising retries. Every stage it returns is
 * already complete, so the room delivers in the same task that accepted the message.
 *
 * <p>Thread-safe (it holds nothing itself); each log is owned by its room's loop.
 */
public final class InMemoryChatStore implements ChatStore {
    /** Retries are recognised among this many recent client message ids per room, at least. */
    static final int MIN_DEDUP_WINDOW = 1024;

    private final int historySize;

    public InMemoryChatStore(int historySize) {
        if (historySize < 0) {
            throw new IllegalArgumentException("historySize must be >= 0, was " + historySize);
        }
        this.historySize = historySize;
    }

    @Override
    public ChatLog open(String roomId) {
        return new Log(historySize, Math.max(MIN_DEDUP_WINDOW, historySize * 4));
    }

    /** One room's chat; loop-confined. */
    private static final class Log implements ChatLog {
        private final InMemoryChatHistory history;
        private final Map<String, ChatMessageView> byClientId;
        /** Read markers by user; kept with the room, gone with it (only persistent rooms list unread counts). */
        private final Map<String, Long> readMarkers = new HashMap<>();
        private long lastId;

        Log(int historySize, int dedupWindow) {
            this.history = new InMemoryChatHistory(historySize);
            this.byClientId = new LinkedHashMap<>(16, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, ChatMessageView> eldest) {
                    return size() > dedupWindow;
                }
            };
        }

        @Override
        public CompletionStage<AppendResult> append(ChatDraft draft) {
            // Keyed by user, not session: a client retrying after its session was replaced is still recognised.
            String key = draft.fromUserId() + '\u0000' + draft.clientMsgId();
            ChatMessageView earlier = byClientId.get(key);
            if (earlier != null) {
                return CompletableFuture.completedFuture(new AppendResult.Duplicate(earlier));
            }
            if (draft.replyTo() != null && !history.contains(draft.replyTo())) {
                return CompletableFuture.completedFuture(new AppendResult.UnknownReplyTo(draft.replyTo()));
            }
            ChatMessageView stored = draft.withId(++lastId);
            history.append(stored);
            byClientId.put(key, stored);
            return CompletableFuture.completedFuture(new AppendResult.Stored(stored));
        }

        @Override
        public CompletionStage<ChatPage> page(Long before, int limit) {
            return CompletableFuture.completedFuture(history.page(before, limit));
        }

        @Override
        public CompletionStage<PageResult> page(Long before, Long after, int limit) {
            if (before != null && !existed(before)) {
                return CompletableFuture.completedFuture(new PageResult.UnknownCursor("before", before));
            }
            if (after != null && !existed(after)) {
                return CompletableFuture.completedFuture(new PageResult.UnknownCursor("after", after));
            }
            ChatPage page = after != null ? history.pageAfter(after, limit) : history.page(before, limit);
            return CompletableFuture.completedFuture(new PageResult.Found(page));
        }

        @Override
        public CompletionStage<ChangeResult> edit(long messageId, String text, long at, String byUserId,
                                                  String reason, ChangeRule rule) {
            return change(messageId, rule, current -> current.withEdit(text, at, byUserId, reason));
        }

        @Override
        public CompletionStage<ChangeResult> delete(long messageId, long at, String byUserId, String reason,
                                                    ChangeRule rule) {
            return change(messageId, rule, current -> ChatMessageView.isDeleted(current) ? null
                    : current.withDeletion(byUserId, reason));
        }

        /** A message that fell out of the ring is unknown: the log has nothing left to change. */
        private CompletionStage<ChangeResult> change(long messageId, ChangeRule rule,
                                                     UnaryOperator<ChatMessageView> apply) {
            ChatMessageView current = history.find(messageId);
            if (current == null) {
                return CompletableFuture.completedFuture(new ChangeResult.UnknownMessage(messageId));
            }
            ChangeResult.Refused refused = rule.refusal(current);
            if (refused != null) {
                return CompletableFuture.completedFuture(refused);
            }
            ChatMessageView changed = apply.apply(current);
            if (changed == null) {
                return CompletableFuture.completedFuture(new ChangeResult.Unchanged(current));
            }
            history.replace(changed);
            return CompletableFuture.completedFuture(new ChangeResult.Changed(changed));
        }

        @Override
        public CompletionStage<ReadResult> markRead(String userId, long messageId) {
            if (!existed(messageId)) {
                return CompletableFuture.completedFuture(new ReadResult.UnknownMessage(messageId));
            }
            long marker = readMarkers.getOrDefault(userId, 0L);
            if (messageId <= marker) {
                return CompletableFuture.completedFuture(new ReadResult.Kept(marker));
            }
            readMarkers.put(userId, messageId);
            return CompletableFuture.completedFuture(new ReadResult.Moved(messageId));
        }

        /**
         * Ids count from 1 without gaps, so every id up to the last was a message of this room, even one that fell
         * out of the ring since.
         */
        private boolean existed(long messageId) {
            return messageId >= 1 && messageId <= lastId;
        }
    }
}
