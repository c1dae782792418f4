package io.presence.signaling.jdbc;

import io.presence.signaling.storage.StorageUnavailableException;
import io.presence.signaling.protocol.ChatMessageView;
import io.presence.signaling.storage.AppendResult;
import io.presence.signaling.storage.ChatDraft;
import io.presence.signaling.storage.ChatLog;
import io.presence.signaling.storage.ChatPage;
import io.presence.signaling.storage.ChatStore;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Chat kept in the database. Appends go through one {@link GroupCommit} for the whole store and complete after
 * their commit; the store assigns ids, increasing per room; (room, user, client message id) is unique in the
 * table, so a retry is recognised across restarts and answered with the original message.
 *
 * <p>Thread-safe; each log is used on its room's loop, and its stages complete on a storage thread.
 */
public final class JdbcChatStore implements ChatStore {
    private final Database database;
    private final GroupCommit commits;

    public JdbcChatStore(Database database) {
        this(database, true);
    }

    /** @param groupCommit false = one transaction per message ({@code storage.groupCommit}) */
    public JdbcChatStore(Database database, boolean groupCommit) {
        this.database = database;
        this.commits = new GroupCommit(database.dataSource(), database.executor(), database.metrics(),
                groupCommit ? GroupCommit.MAX_BATCH : 1);
    }

    @Override
    public ChatLog open(String roomId) {
        return new Log(roomId);
    }

    /** Up to {@code limit} messages with id below {@code before} (null = newest), oldest first. Blocking. */
    ChatPage readPage(String roomId, Long before, int limit) {
        String sql = MessageRows.SELECT + " WHERE room_id = ?" + (before == null ? "" : " AND id < ?")
                + " ORDER BY id DESC LIMIT ?";
        try (Connection c = database.dataSource().getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            int i = 1;
            s.setString(i++, roomId);
            if (before != null) {
                s.setLong(i++, before);
            }
            s.setInt(i, limit + 1);
            List<ChatMessageView> newestFirst = new ArrayList<>(limit + 1);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    newestFirst.add(MessageRows.read(rs));
                }
            }
            boolean hasMore = newestFirst.size() > limit;
            List<ChatMessageView> page = new ArrayList<>(newestFirst.subList(0, Math.min(limit, newestFirst.size())));
            Collections.reverse(page);
            return new ChatPage(page, hasMore);
        } catch (SQLException e) {
            database.metrics().failed();
            throw new StorageUnavailableException("storage unavailable: " + Migrations.oneLine(e.getMessage()), e);
        }
    }

    /** One room's chat. Appends still in flight are remembered so that a quick retry joins the first one. */
    private final class Log implements ChatLog {
        private final String roomId;
        private final Map<String, CompletableFuture<AppendResult>> inFlight = new ConcurrentHashMap<>();

        Log(String roomId) {
            this.roomId = roomId;
        }

        @Override
        public CompletionStage<AppendResult> append(ChatDraft draft) {
            if (draft.clientMsgId() == null) {
                return commits.append(roomId, draft);
            }
            String key = draft.fromUserId() + '\u0000' + draft.clientMsgId();
            CompletableFuture<AppendResult> first = inFlight.get(key);
            if (first != null) {
                return first.thenApply(r -> r instanceof AppendResult.Stored s ? new AppendResult.Duplicate(s.message()) : r);
            }
            CompletableFuture<AppendResult> result = commits.append(roomId, draft);
            inFlight.put(key, result);
            result.whenComplete((r, t) -> inFlight.remove(key, result));
            return result;
        }

        @Override
        public CompletionStage<ChatPage> page(Long before, int limit) {
            return database.executor().submit(() -> readPage(roomId, before, limit));
        }
    }
}
