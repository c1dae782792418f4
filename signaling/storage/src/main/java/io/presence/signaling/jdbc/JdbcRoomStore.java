package io.presence.signaling.jdbc;

import io.presence.signaling.storage.StorageUnavailableException;
import io.presence.signaling.protocol.ChatMessageView;
import io.presence.signaling.storage.RoomRecord;
import io.presence.signaling.storage.RoomMembership;
import io.presence.signaling.storage.RoomStore;
import io.presence.signaling.storage.RoomSummary;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Rooms kept in the database. A room starts ephemeral ({@link #create} keeps nothing) and becomes persistent when
 * it is named ({@link #persist}): from then on {@link #load} finds it after an unload or a restart.
 *
 * <p>Thread-safe; every call runs on the storage executor and never blocks the caller.
 */
public final class JdbcRoomStore implements RoomStore {
    private static final CompletionStage<Void> DONE = CompletableFuture.completedFuture(null);

    private final Database database;
    /** Ids of the persistent rooms this appliance has loaded or named: an id per room, nothing else. */
    private final Set<String> persistent = ConcurrentHashMap.newKeySet();

    public JdbcRoomStore(Database database) {
        this.database = database;
    }

    @Override
    public CompletionStage<Optional<RoomRecord>> load(String roomId) {
        return database.executor().submit(() -> query(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT id, relay_only, created_by, created_at FROM rooms WHERE id = ?")) {
                s.setString(1, roomId);
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.<RoomRecord>empty();
                    }
                    persistent.add(roomId);
                    return Optional.of(new RoomRecord(rs.getString(1), rs.getBoolean(2), rs.getString(3), rs.getLong(4)));
                }
            }
        }));
    }

    /** Rooms start ephemeral: nothing is written until the room is named. */
    @Override
    public CompletionStage<Void> create(RoomRecord room) {
        return DONE;
    }

    /**
     * Makes {@code room} persistent under {@code name}, with its members and the history it has in memory, in
     * one transaction. Naming it again renames it; members and messages already kept stay.
     */
    @Override
    public CompletionStage<Void> persist(RoomRecord room, String name, List<RoomMembership> members,
                                         List<ChatMessageView> history) {
        return database.executor().submit(() -> query(c -> {
            c.setAutoCommit(false);
            try {
                if (update(c, "UPDATE rooms SET name = ? WHERE id = ?", name, room.id()) == 0) {
                    try (PreparedStatement s = c.prepareStatement(
                            "INSERT INTO rooms (id, name, relay_only, created_by, created_at) VALUES (?, ?, ?, ?, ?)")) {
                        s.setString(1, room.id());
                        s.setString(2, name);
                        s.setBoolean(3, room.relayOnly());
                        s.setString(4, room.createdBy());
                        s.setLong(5, room.createdAtMillis());
                        s.executeUpdate();
                    }
                }
                for (RoomMembership m : members) {
                    if (update(c, "UPDATE members SET role = ? WHERE room_id = ? AND user_id = ?",
                            m.role(), room.id(), m.userId()) == 0) {
                        update(c, "INSERT INTO members (role, room_id, user_id) VALUES (?, ?, ?)",
                                m.role(), room.id(), m.userId());
                    }
                }
                insertHistory(c, room.id(), history);
                c.commit();
                persistent.add(room.id());
                return null;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }));
    }

    /** True when {@code roomId} was loaded from the database or made persistent here. */
    public boolean isPersistent(String roomId) {
        return persistent.contains(roomId);
    }

    /** The persistent rooms {@code userId} is a member of, by name. */
    @Override
    public CompletionStage<List<RoomSummary>> roomsOf(String userId) {
        return database.executor().submit(() -> query(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT r.id, r.name FROM members m"
                    + " JOIN rooms r ON r.id = m.room_id WHERE m.user_id = ? ORDER BY r.name, r.id")) {
                s.setString(1, userId);
                List<RoomSummary> rooms = new ArrayList<>();
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        // Read markers are not kept yet, so nothing counts as unread.
                        rooms.add(new RoomSummary(rs.getString(1), rs.getString(2), 0));
                    }
                }
                return rooms;
            }
        }));
    }

    private static void insertHistory(Connection c, String roomId, List<ChatMessageView> history) throws SQLException {
        if (history.isEmpty()) {
            return;
        }
        long kept;
        try (PreparedStatement s = c.prepareStatement("SELECT COALESCE(MAX(id), 0) FROM messages WHERE room_id = ?")) {
            s.setString(1, roomId);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                kept = rs.getLong(1);
            }
        }
        try (PreparedStatement s = c.prepareStatement("INSERT INTO messages (room_id, id, ts, member_id, user_id,"
                + " user_name, body, reply_to, client_msg_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            int rows = 0;
            for (ChatMessageView m : history) {
                if (m.id() <= kept) {
                    continue;
                }
                s.setString(1, roomId);
                s.setLong(2, m.id());
                s.setLong(3, m.ts());
                s.setString(4, m.fromMemberId());
                s.setString(5, m.fromUserId());
                s.setString(6, m.fromName());
                s.setString(7, m.text());
                if (m.replyTo() == null) {
                    s.setNull(8, Types.BIGINT);
                } else {
                    s.setLong(8, m.replyTo());
                }
                s.setString(9, m.clientMsgId());
                s.addBatch();
                rows++;
            }
            if (rows > 0) {
                s.executeBatch();
            }
        }
    }

    private static int update(Connection c, String sql, String... args) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setString(i + 1, args[i]);
            }
            return s.executeUpdate();
        }
    }

    private <T> T query(SqlWork<T> work) {
        try (Connection c = database.dataSource().getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            database.metrics().failed(e);
            throw new StorageUnavailableException("storage unavailable: " + Migrations.oneLine(e.getMessage()), e);
        }
    }

    @FunctionalInterface
    private interface SqlWork<T> {
        T run(Connection c) throws SQLException;
    }
}
