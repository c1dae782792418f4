package io.presence.signaling.jdbc;

import io.presence.signaling.protocol.ChatMessageView;
import io.presence.signaling.storage.AppendResult;
import io.presence.signaling.storage.ChangeResult;
import io.presence.signaling.storage.ChangeRule;
import io.presence.signaling.storage.ChatDraft;
import io.presence.signaling.storage.ChatLog;
import io.presence.signaling.storage.ChatPage;
import io.presence.signaling.storage.ChatStore;
import io.presence.signaling.storage.PageResult;
import io.presence.signaling.storage.ReadResult;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Chat kept in the database. Appends go through one {@link GroupCommit} for the whole store and complete after
 * their commit; the store assigns ids, increasing per room; (room, user, client message id) is unique in the
 * table, so a retry is recognised across restarts and answered with the original message.
 *
 * <p>Each loaded room keeps its newest {@code recentSize} messages in memory ({@link RecentMessages}, seeded on
 * its first page), so the pages clients ask for most (the newest, and scrolling within them) need no query.
 * Edits, deletes and read markers are each one short transaction; a room's changes run one after another, so the
 * room's rule and the write see the same row.
 *
 * <p>Thread-safe; each log is used on its room's loop, and its stages complete on a storage thread.
 */
public final class JdbcChatStore implements ChatStore {
    private final Database database;
    private final GroupCommit commits;
    private final int recentSize;

    /**
     * @param recentSize  messages of each loaded room kept in memory for pages ({@code signaling.historySize})
     * @param groupCommit false = one transaction per message ({@code storage.groupCommit})
     */
    public JdbcChatStore(Database database, int recentSize, boolean groupCommit) {
        if (recentSize < 0) {
            throw new IllegalArgumentException("recentSize must be >= 0, was " + recentSize);
        }
        this.database = database;
        this.commits = new GroupCommit(database.dataSource(), database.executor(), database.metrics(),
                groupCommit ? GroupCommit.MAX_BATCH : 1);
        this.recentSize = recentSize;
    }

    /** With group commit. */
    public JdbcChatStore(Database database, int recentSize) {
        this(database, recentSize, true);
    }

    /** No messages kept in memory: every page is a query. */
    public JdbcChatStore(Database database, boolean groupCommit) {
        this(database, 0, groupCommit);
    }

    /** No messages kept in memory, with group commit. */
    public JdbcChatStore(Database database) {
        this(database, 0, true);
    }

    @Override
    public ChatLog open(String roomId) {
        return new Log(roomId, new RecentMessages(recentSize));
    }

    /** Up to {@code limit} messages with id below {@code before} (null = newest), oldest first. Blocking. */
    ChatPage readPage(String roomId, Long before, int limit) {
        return database.call(c -> readBefore(c, roomId, before, limit));
    }

    private static ChatPage readBefore(Connection c, String roomId, Long before, int limit) throws SQLException {
        String sql = MessageRows.SELECT + " WHERE room_id = ?" + (before == null ? "" : " AND id < ?")
                + " ORDER BY id DESC LIMIT ?";
        try (PreparedStatement s = c.prepareStatement(sql)) {
            int i = 1;
            s.setString(i++, roomId);
            if (before != null) {
                s.setLong(i++, before);
            }
            s.setInt(i, limit + 1);
            List<ChatMessageView> newestFirst = read(s, limit + 1);
            boolean hasMore = newestFirst.size() > limit;
            List<ChatMessageView> page = new ArrayList<>(newestFirst.subList(0, Math.min(limit, newestFirst.size())));
            Collections.reverse(page);
            return new ChatPage(page, hasMore);
        }
    }

    private static ChatPage readAfter(Connection c, String roomId, long after, int limit) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(MessageRows.SELECT
                + " WHERE room_id = ? AND id > ? ORDER BY id LIMIT ?")) {
            s.setString(1, roomId);
            s.setLong(2, after);
            s.setInt(3, limit + 1);
            List<ChatMessageView> oldestFirst = read(s, limit + 1);
            boolean hasMore = oldestFirst.size() > limit;
            return new ChatPage(new ArrayList<>(oldestFirst.subList(0, Math.min(limit, oldestFirst.size()))), hasMore);
        }
    }

    private static List<ChatMessageView> read(PreparedStatement s, int expected) throws SQLException {
        List<ChatMessageView> out = new ArrayList<>(expected);
        try (ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                out.add(MessageRows.read(rs));
            }
        }
        return out;
    }

    /** The message, or null; {@code FOR UPDATE} holds the row until the change commits. */
    private static ChatMessageView find(Connection c, String roomId, long id, boolean forUpdate) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(MessageRows.SELECT + " WHERE room_id = ? AND id = ?"
                + (forUpdate ? " FOR UPDATE" : ""))) {
            s.setString(1, roomId);
            s.setLong(2, id);
            List<ChatMessageView> found = read(s, 1);
            return found.isEmpty() ? null : found.get(0);
        }
    }

    private static boolean exists(Connection c, String roomId, long id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM messages WHERE room_id = ? AND id = ?")) {
            s.setString(1, roomId);
            s.setLong(2, id);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** One transaction: committed when {@code work} returns, rolled back when it throws. */
    private <T> T transaction(SqlWork<T> work) {
        return database.call(c -> {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        });
    }


    /** One room's chat. Appends still in flight are remembered so that a quick retry joins the first one. */
    private final class Log implements ChatLog {
        private final String roomId;
        private final RecentMessages recent;
        private final Map<String, CompletableFuture<AppendResult>> inFlight = new ConcurrentHashMap<>();
        /** The room's latest change (edit, delete, marker); the next starts after it. Loop-confined. */
        private CompletableFuture<?> lastChange = CompletableFuture.completedFuture(null);

        Log(String roomId, RecentMessages recent) {
            this.roomId = roomId;
            this.recent = recent;
        }

        @Override
        public CompletionStage<AppendResult> append(ChatDraft draft) {
            if (draft.clientMsgId() == null) {
                return remembered(commits.append(roomId, draft));
            }
            String key = draft.fromUserId() + '\u0000' + draft.clientMsgId();
            CompletableFuture<AppendResult> first = inFlight.get(key);
            if (first != null) {
                return first.thenApply(r -> r instanceof AppendResult.Stored s ? new AppendResult.Duplicate(s.message()) : r);
            }
            CompletableFuture<AppendResult> result = remembered(commits.append(roomId, draft));
            inFlight.put(key, result);
            result.whenComplete((r, t) -> inFlight.remove(key, result));
            return result;
        }

        /** The stored message goes into the recent run before the room hears of it. */
        private CompletableFuture<AppendResult> remembered(CompletableFuture<AppendResult> append) {
            return append.thenApply(r -> {
                if (r instanceof AppendResult.Stored stored) {
                    recent.committed(stored.message());
                }
                return r;
            });
        }

        @Override
        public CompletionStage<ChatPage> page(Long before, int limit) {
            ChatPage cached = recent.before(before, limit);
            if (cached != null) {
                return CompletableFuture.completedFuture(cached);
            }
            return database.executor().submit(() -> readPage(roomId, before, limit));
        }

        @Override
        public CompletionStage<PageResult> page(Long before, Long after, int limit) {
            ChatPage cached = after != null ? recent.after(after, limit) : recent.before(before, limit);
            if (cached != null) {
                return CompletableFuture.completedFuture(new PageResult.Found(cached));
            }
            boolean seed = recent.startSeeding();
            return database.executor().submit(() -> database.call(c -> {
                if (seed) {
                    seed(c);
                    ChatPage fromSeed = after != null ? recent.after(after, limit) : recent.before(before, limit);
                    if (fromSeed != null) {
                        return new PageResult.Found(fromSeed);
                    }
                }
                Long cursor = after != null ? after : before;
                if (cursor != null && !exists(c, roomId, cursor)) {
                    return new PageResult.UnknownCursor(after != null ? "after" : "before", cursor);
                }
                return new PageResult.Found(after != null ? readAfter(c, roomId, after, limit)
                        : readBefore(c, roomId, before, limit));
            }));
        }

        private void seed(Connection c) throws SQLException {
            try {
                ChatPage newest = readBefore(c, roomId, null, recentSize);
                recent.seeded(newest.messages(), !newest.hasMore());
            } catch (SQLException | RuntimeException e) {
                recent.seedFailed();
                throw e;
            }
        }

        @Override
        public CompletionStage<ChangeResult> edit(long messageId, String text, long at, String byUserId,
                                                  String reason, ChangeRule rule) {
            return change(messageId, rule, current -> current.withEdit(text, at, byUserId, reason),
                    "UPDATE messages SET body = ?, edited_at = ?, edited_by = ?, edit_reason = ?"
                            + " WHERE room_id = ? AND id = ?", changed -> List.of(changed.text(), changed.editedAt(),
                            nullable(changed.editedBy()), nullable(changed.editReason())));
        }

        @Override
        public CompletionStage<ChangeResult> delete(long messageId, long at, String byUserId, String reason,
                                                    ChangeRule rule) {
            // The body is overwritten, not flagged: a deleted text is gone from the table (and from backups after).
            return change(messageId, rule, current -> ChatMessageView.isDeleted(current) ? null
                            : current.withDeletion(byUserId, reason),
                    "UPDATE messages SET body = ?, deleted_at = ?, deleted_by = ?, delete_reason = ?"
                            + " WHERE room_id = ? AND id = ?", changed -> List.of("", at, changed.deletedBy(),
                            nullable(changed.deleteReason())));
        }

        private CompletionStage<ChangeResult> change(long messageId, ChangeRule rule,
                                                     UnaryOperator<ChatMessageView> apply, String update,
                                                     java.util.function.Function<ChatMessageView, List<Object>> values) {
            return serially(() -> {
                ChangeResult result = transaction(c -> {
                    ChatMessageView current = find(c, roomId, messageId, true);
                    if (current == null) {
                        return new ChangeResult.UnknownMessage(messageId);
                    }
                    ChangeResult.Refused refused = rule.refusal(current);
                    if (refused != null) {
                        return refused;
                    }
                    ChatMessageView changed = apply.apply(current);
                    if (changed == null) {
                        return new ChangeResult.Unchanged(current);
                    }
                    try (PreparedStatement s = c.prepareStatement(update)) {
                        int i = 1;
                        for (Object v : values.apply(changed)) {
                            set(s, i++, v);
                        }
                        s.setString(i++, roomId);
                        s.setLong(i, messageId);
                        s.executeUpdate();
                    }
                    return new ChangeResult.Changed(changed);
                });
                if (result instanceof ChangeResult.Changed changed) {
                    recent.committed(changed.message());
                }
                return result;
            });
        }

        @Override
        public CompletionStage<ReadResult> markRead(String userId, long messageId) {
            return serially(() -> transaction(c -> {
                if (!exists(c, roomId, messageId)) {
                    return new ReadResult.UnknownMessage(messageId);
                }
                Long marker = null;
                try (PreparedStatement s = c.prepareStatement("SELECT message_id FROM read_markers"
                        + " WHERE room_id = ? AND user_id = ? FOR UPDATE")) {
                    s.setString(1, roomId);
                    s.setString(2, userId);
                    try (ResultSet rs = s.executeQuery()) {
                        if (rs.next()) {
                            marker = rs.getLong(1);
                        }
                    }
                }
                if (marker != null && marker >= messageId) {
                    return new ReadResult.Kept(marker);
                }
                try (PreparedStatement s = c.prepareStatement(marker == null
                        ? "INSERT INTO read_markers (message_id, room_id, user_id) VALUES (?, ?, ?)"
                        : "UPDATE read_markers SET message_id = ? WHERE room_id = ? AND user_id = ?")) {
                    s.setLong(1, messageId);
                    s.setString(2, roomId);
                    s.setString(3, userId);
                    s.executeUpdate();
                }
                return new ReadResult.Moved(messageId);
            }));
        }

        /** Runs {@code work} on a storage thread after the room's previous change has ended. */
        private <T> CompletionStage<T> serially(Supplier<T> work) {
            CompletableFuture<T> next = lastChange.handle((ignored, failure) -> null)
                    .thenCompose(ignored -> database.executor().submit(work));
            lastChange = next;
            return next;
        }
    }

    /** A null to bind as SQL NULL of the column's type. */
    private record Null(int sqlType) {
    }

    private static Object nullable(String value) {
        return value == null ? new Null(Types.VARCHAR) : value;
    }

    private static void set(PreparedStatement s, int i, Object v) throws SQLException {
        if (v instanceof Null n) {
            s.setNull(i, n.sqlType());
        } else if (v instanceof Long l) {
            s.setLong(i, l);
        } else {
            s.setString(i, (String) v);
        }
    }
}
