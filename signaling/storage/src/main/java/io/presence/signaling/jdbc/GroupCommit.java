package io.presence.signaling.jdbc;

import io.presence.signaling.storage.StorageUnavailableException;
import io.presence.signaling.protocol.ChatMessageView;
import io.presence.signaling.storage.AppendResult;
import io.presence.signaling.storage.ChatDraft;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Writes chat messages of every room in as few transactions as it can: while one commit runs, new appends queue
 * up, and the next commit takes all of them in one transaction and one batch. Each append completes after the
 * commit that holds it, so nothing is acknowledged before it is durable.
 *
 * <p>A commit first writes its batch without looking anything up: a retry of a message already stored is rare, and
 * the unique key (room, user, client message id) refuses it, whereupon the transaction is rolled back and the batch
 * written again with one lookup per message, which answers such a retry with the original. One round trip per
 * message would bound the whole store to what one connection does serially (about 1,000 messages/s on MariaDB).
 * Reply-to targets already committed are checked with one query per room and commit.
 *
 * <p>At most one commit runs at a time ({@code running}); the commit alone assigns ids, from {@code lastIds}, which
 * only the committing task touches (each commit starts after the previous one ended, through {@code running}).
 * Thread-safe.
 */
final class GroupCommit {
    /** Messages in one transaction at most, so one huge burst does not hold a transaction open for long. */
    static final int MAX_BATCH = 1_000;
    /** Commits on one borrowed connection at most, before it goes back to the pool. */
    static final int BATCHES_PER_CONNECTION = 100;

    private static final String INSERT = "INSERT INTO messages (room_id, id, ts, member_id, user_id, user_name, body,"
            + " reply_to, client_msg_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private final DataSource dataSource;
    private final StorageExecutor executor;
    private final StorageMetrics metrics;
    private final Queue<Pending> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean running = new AtomicBoolean();
    private final Map<String, Long> lastIds = new HashMap<>();
    private final int maxBatch;

    /** @param maxBatch messages in one transaction at most: {@link #MAX_BATCH}, or 1 for one transaction each */
    GroupCommit(DataSource dataSource, StorageExecutor executor, StorageMetrics metrics, int maxBatch) {
        if (maxBatch < 1 || maxBatch > MAX_BATCH) {
            throw new IllegalArgumentException("maxBatch must be 1.." + MAX_BATCH + ", was " + maxBatch);
        }
        this.dataSource = dataSource;
        this.executor = executor;
        this.metrics = metrics;
        this.maxBatch = maxBatch;
    }

    CompletableFuture<AppendResult> append(String roomId, ChatDraft draft) {
        Pending p = new Pending(roomId, draft, new CompletableFuture<>());
        queue.add(p);
        kick();
        return p.result;
    }

    private void kick() {
        if (!running.compareAndSet(false, true)) {
            return;
        }
        executor.submit(() -> {
            commitWhileQueued();
            return null;
        }).whenComplete((ignored, failure) -> {
            if (failure != null) {
                // The executor refused the commit: everything queued fails fast, nothing was written.
                metrics.refused();
                failQueued(failure);
            }
            running.set(false);
            if (!queue.isEmpty()) {
                kick();
            }
        });
    }

    private void failQueued(Throwable failure) {
        Pending p;
        while ((p = queue.poll()) != null) {
            p.result.completeExceptionally(failure);
        }
    }

    /**
     * Commits what is queued, batch after batch on one connection while more keeps coming (at most
     * {@link #BATCHES_PER_CONNECTION}, so the pool still retires old connections): the connection stays out of
     * autocommit between them, which saves two round trips per commit, and under load every round trip waits for
     * the database's turn on a busy machine.
     */
    private void commitWhileQueued() {
        List<Pending> batch = poll();
        if (batch.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            for (int n = 1; ; n++) {
                commit(c, batch);
                if (n >= BATCHES_PER_CONNECTION) {
                    return;
                }
                batch = poll();
                if (batch.isEmpty()) {
                    return;
                }
            }
        } catch (SQLException | RuntimeException e) {
            // The batch that failed; those committed before it are complete already and stay so.
            metrics.failed(e);
            StorageUnavailableException failure = new StorageUnavailableException(
                    "storage unavailable: " + Migrations.oneLine(e.getMessage()), e);
            batch.forEach(b -> b.result.completeExceptionally(failure));
        }
    }

    private List<Pending> poll() {
        List<Pending> batch = new ArrayList<>();
        Pending p;
        while (batch.size() < maxBatch && (p = queue.poll()) != null) {
            batch.add(p);
        }
        return batch;
    }

    /** One transaction: the batch is committed and each append completed, or it throws with nothing written. */
    private void commit(Connection c, List<Pending> batch) throws SQLException {
        long start = System.nanoTime();
        Map<String, Long> assigned = new HashMap<>();
        List<AppendResult> results = new ArrayList<>(batch.size());
        int written;
        try {
            try {
                written = write(c, batch, assigned, results, false);
            } catch (SQLException e) {
                if (!isUniqueViolation(e)) {
                    throw e;
                }
                c.rollback();
                assigned.clear();
                results.clear();
                written = write(c, batch, assigned, results, true);
            }
            c.commit();
        } catch (SQLException | RuntimeException e) {
            try {
                c.rollback();
            } catch (SQLException rollback) {
                e.addSuppressed(rollback);
            }
            throw e;
        }
        lastIds.putAll(assigned);
        metrics.committed(written, System.nanoTime() - start);
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).result.complete(results.get(i));
        }
    }

    /**
     * Adds the batch to the transaction. Without {@code lookUp}, a message is taken as new unless an earlier one of
     * the same batch has its client id, and the unique key refuses one stored before (the caller then rolls back and
     * writes the batch again with {@code lookUp}).
     */
    private int write(Connection c, List<Pending> batch, Map<String, Long> assigned, List<AppendResult> results,
                      boolean lookUp) throws SQLException {
        Map<String, ChatMessageView> inBatch = new HashMap<>();
        Set<String> idsInBatch = new HashSet<>();
        Set<String> repliedToStored = storedReplyTargets(c, batch);
        int written = 0;
        try (PreparedStatement insert = c.prepareStatement(INSERT)) {
            for (Pending p : batch) {
                ChatDraft d = p.draft;
                String key = p.roomId + '\u0000' + d.fromUserId() + '\u0000' + d.clientMsgId();
                ChatMessageView earlier = d.clientMsgId() == null ? null : inBatch.get(key);
                if (earlier == null && d.clientMsgId() != null && lookUp) {
                    earlier = findByClientId(c, p.roomId, d.fromUserId(), d.clientMsgId());
                }
                if (earlier != null) {
                    results.add(new AppendResult.Duplicate(earlier));
                    continue;
                }
                if (d.replyTo() != null && !idsInBatch.contains(p.roomId + '\u0000' + d.replyTo())
                        && !repliedToStored.contains(p.roomId + '\u0000' + d.replyTo())) {
                    results.add(new AppendResult.UnknownReplyTo(d.replyTo()));
                    continue;
                }
                long id = nextId(c, p.roomId, assigned);
                ChatMessageView stored = d.withId(id);
                insert.setString(1, p.roomId);
                insert.setLong(2, id);
                insert.setLong(3, d.ts());
                insert.setString(4, d.fromMemberId());
                insert.setString(5, d.fromUserId());
                insert.setString(6, d.fromName());
                insert.setString(7, d.text());
                if (d.replyTo() == null) {
                    insert.setNull(8, Types.BIGINT);
                } else {
                    insert.setLong(8, d.replyTo());
                }
                insert.setString(9, d.clientMsgId());
                insert.addBatch();
                written++;
                if (d.clientMsgId() != null) {
                    inBatch.put(key, stored);
                }
                idsInBatch.add(p.roomId + '\u0000' + id);
                results.add(new AppendResult.Stored(stored));
            }
            if (written > 0) {
                insert.executeBatch();
            }
        }
        return written;
    }

    private long nextId(Connection c, String roomId, Map<String, Long> assigned) throws SQLException {
        Long last = assigned.get(roomId);
        if (last == null) {
            last = lastIds.get(roomId);
        }
        if (last == null) {
            try (PreparedStatement s = c.prepareStatement("SELECT COALESCE(MAX(id), 0) FROM messages WHERE room_id = ?")) {
                s.setString(1, roomId);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    last = rs.getLong(1);
                }
            }
        }
        long next = last + 1;
        assigned.put(roomId, next);
        return next;
    }

    /** Of the batch's reply-to targets, those already stored, as room + NUL + id: one query per room. */
    private static Set<String> storedReplyTargets(Connection c, List<Pending> batch) throws SQLException {
        Map<String, Set<Long>> wanted = new HashMap<>();
        for (Pending p : batch) {
            if (p.draft.replyTo() != null) {
                wanted.computeIfAbsent(p.roomId, r -> new HashSet<>()).add(p.draft.replyTo());
            }
        }
        Set<String> found = new HashSet<>();
        for (Map.Entry<String, Set<Long>> room : wanted.entrySet()) {
            String marks = String.join(", ", java.util.Collections.nCopies(room.getValue().size(), "?"));
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT id FROM messages WHERE room_id = ? AND id IN (" + marks + ")")) {
                s.setString(1, room.getKey());
                int i = 2;
                for (long id : room.getValue()) {
                    s.setLong(i++, id);
                }
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        found.add(room.getKey() + '\u0000' + rs.getLong(1));
                    }
                }
            }
        }
        return found;
    }

    /**
     * A unique key refused a row: SQLSTATE class 23 (integrity constraint violation), on the exception or, for a
     * batch, on the exception it chains.
     */
    static boolean isUniqueViolation(SQLException e) {
        for (SQLException x = e; x != null; x = x.getNextException()) {
            if (x.getSQLState() != null && x.getSQLState().startsWith("23")) {
                return true;
            }
            if (x.getCause() instanceof SQLException cause && cause.getSQLState() != null
                    && cause.getSQLState().startsWith("23")) {
                return true;
            }
        }
        return false;
    }

    private static ChatMessageView findByClientId(Connection c, String roomId, String userId, String clientMsgId)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement(MessageRows.SELECT
                + " WHERE room_id = ? AND user_id = ? AND client_msg_id = ?")) {
            s.setString(1, roomId);
            s.setString(2, userId);
            s.setString(3, clientMsgId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? MessageRows.read(rs) : null;
            }
        }
    }

    private record Pending(String roomId, ChatDraft draft, CompletableFuture<AppendResult> result) {
    }
}
