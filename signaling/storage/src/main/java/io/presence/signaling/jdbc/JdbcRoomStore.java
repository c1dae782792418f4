package io.presence.signaling.jdbc;

import io.presence.signaling.protocol.ChatMessageView;
import io.presence.signaling.storage.RoomDetails;
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
    /** How often a direct room's insert is tried while each try loses a race to an insert that then rolls back. */
    private static final int DIRECT_ATTEMPTS = 5;

    private final Database database;
    /** Ids of the persistent rooms this appliance has loaded or named: an id per room, nothing else. */
    private final Set<String> persistent = ConcurrentHashMap.newKeySet();

    public JdbcRoomStore(Database database) {
        this.database = database;
    }

    @Override
    public CompletionStage<Optional<RoomRecord>> load(String roomId) {
        return database.executor().submit(() -> database.call(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT id, relay_only, created_by, created_at, direct FROM rooms WHERE id = ?")) {
                s.setString(1, roomId);
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.<RoomRecord>empty();
                    }
                    persistent.add(roomId);
                    return Optional.of(new RoomRecord(rs.getString(1), rs.getBoolean(2), rs.getString(3), rs.getLong(4),
                            rs.getBoolean(5)));
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
        return database.executor().submit(() -> database.call(c -> {
            c.setAutoCommit(false);
            try {
                boolean created = SqlWork.update(c, "UPDATE rooms SET name = ? WHERE id = ?", name, room.id()) == 0;
                if (created) {
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
                    keepMember(c, room.id(), m);
                }
                insertHistory(c, room.id(), history);
                if (created && !history.isEmpty()) {
                    markAllRead(c, room.id(), members, history.get(history.size() - 1).id());
                }
                c.commit();
                persistent.add(room.id());
                return null;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }));
    }

    /**
     * Inserts the direct room and its two memberships in one transaction unless its id is kept already. Two
     * appliances (or two requests) inserting at once: the primary key lets one commit; the other's insert fails
     * with an integrity violation, or InnoDB picks it as a deadlock victim (the two inserts wait on each other's
     * key and foreign-key locks). Either way it rolls back and finds the room kept, which is success; a deadlock
     * victim that finds nothing kept tries again.
     */
    @Override
    public CompletionStage<Void> keepDirect(RoomRecord room, List<RoomMembership> members) {
        return database.executor().submit(() -> database.call(c -> {
            for (int attempt = 1; ; attempt++) {
                if (exists(c, room.id()) || insertDirect(c, room, members, attempt < DIRECT_ATTEMPTS)) {
                    persistent.add(room.id());
                    return null;
                }
            }
        }));
    }

    /**
     * True when inserted; false when it lost a race and should look again; throws when it failed for another
     * reason, or lost the last try.
     */
    private static boolean insertDirect(Connection c, RoomRecord room, List<RoomMembership> members,
                                        boolean mayRetry) throws SQLException {
        c.setAutoCommit(false);
        try {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO rooms (id, name, relay_only, created_by,"
                    + " created_at, direct) VALUES (?, '', ?, ?, ?, TRUE)")) {
                s.setString(1, room.id());
                s.setBoolean(2, room.relayOnly());
                s.setString(3, room.createdBy());
                s.setLong(4, room.createdAtMillis());
                s.executeUpdate();
            }
            // Plain inserts: the room is new, and the upsert's UPDATE would take gap locks that two such
            // transactions deadlock on.
            for (RoomMembership m : members) {
                SqlWork.update(c, "INSERT INTO members (role, display_name, room_id, user_id) VALUES (?, ?, ?, ?)",
                        m.role(), m.displayName(), room.id(), m.userId());
            }
            c.commit();
            return true;
        } catch (SQLException e) {
            c.rollback();
            String state = e.getSQLState() == null ? "" : e.getSQLState();
            boolean raced = state.startsWith("23") || state.equals("40001");
            if (!raced || !mayRetry) {
                throw e;
            }
            return false;
        } catch (RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    private static boolean exists(Connection c, String roomId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM rooms WHERE id = ?")) {
            s.setString(1, roomId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** The memberships of {@code roomId}, in the order they were kept (by user id). */
    @Override
    public CompletionStage<List<RoomMembership>> members(String roomId) {
        return database.executor().submit(() -> database.call(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT user_id, role, display_name FROM members WHERE room_id = ? ORDER BY user_id")) {
                s.setString(1, roomId);
                List<RoomMembership> members = new ArrayList<>();
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        members.add(new RoomMembership(rs.getString(1), rs.getString(2), rs.getString(3)));
                    }
                }
                return members;
            }
        }));
    }

    /** Keeps the membership, or updates the role and display name of one kept already. */
    @Override
    public CompletionStage<Void> addMember(String roomId, RoomMembership membership) {
        return database.executor().submit(() -> database.call(c -> {
            keepMember(c, roomId, membership);
            return null;
        }));
    }

    /** Deletes the membership and the user's read marker in the room, in one transaction. */
    @Override
    public CompletionStage<Void> removeMember(String roomId, String userId) {
        return database.executor().submit(() -> database.call(c -> {
            c.setAutoCommit(false);
            try {
                SqlWork.update(c, "DELETE FROM read_markers WHERE room_id = ? AND user_id = ?", roomId, userId);
                SqlWork.update(c, "DELETE FROM members WHERE room_id = ? AND user_id = ?", roomId, userId);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
            return null;
        }));
    }

    @Override
    public CompletionStage<Void> rename(String roomId, String name) {
        return database.executor().submit(() -> database.call(c -> {
            SqlWork.update(c, "UPDATE rooms SET name = ? WHERE id = ?", name, roomId);
            return null;
        }));
    }

    @Override
    public CompletionStage<Void> updateSettings(String roomId, boolean relayOnly) {
        return database.executor().submit(() -> database.call(c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE rooms SET relay_only = ? WHERE id = ?")) {
                s.setBoolean(1, relayOnly);
                s.setString(2, roomId);
                s.executeUpdate();
            }
            return null;
        }));
    }

    /**
     * Deletes the room with its chat and members in one transaction. Messages are deleted explicitly (they have
     * no foreign key to rooms); members too, although they cascade; tables added later that hang off rooms (read
     * markers) go by their ON DELETE CASCADE. Either everything goes or nothing does.
     */
    @Override
    public CompletionStage<Void> close(String roomId) {
        return database.executor().submit(() -> database.call(c -> {
            c.setAutoCommit(false);
            try {
                SqlWork.update(c, "DELETE FROM messages WHERE room_id = ?", roomId);
                SqlWork.update(c, "DELETE FROM members WHERE room_id = ?", roomId);
                SqlWork.update(c, "DELETE FROM rooms WHERE id = ?", roomId);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
            persistent.remove(roomId);
            return null;
        }));
    }

    /** True when {@code roomId} was loaded from the database or made persistent here. */
    public boolean isPersistent(String roomId) {
        return persistent.contains(roomId);
    }

    /**
     * The persistent rooms {@code userId} is a member of, by name, each with its unread count: messages above the
     * user's read marker, not the user's own, not deleted. One query for all of them: the count is a range scan of
     * the messages primary key per room (see V2's comment).
     */
    @Override
    public CompletionStage<List<RoomSummary>> roomsOf(String userId) {
        return database.executor().submit(() -> database.call(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT r.id, r.name,"
                    + " (SELECT COUNT(*) FROM messages x WHERE x.room_id = m.room_id"
                    + " AND x.id > COALESCE(rm.message_id, 0) AND x.user_id <> m.user_id AND x.deleted_at IS NULL),"
                    + " r.direct, (SELECT MIN(o.user_id) FROM members o WHERE r.direct AND o.room_id = m.room_id"
                    + " AND o.user_id <> m.user_id)"
                    + " FROM members m JOIN rooms r ON r.id = m.room_id"
                    + " LEFT JOIN read_markers rm ON rm.room_id = m.room_id AND rm.user_id = m.user_id"
                    + " WHERE m.user_id = ? ORDER BY r.name, r.id")) {
                s.setString(1, userId);
                List<RoomSummary> rooms = new ArrayList<>();
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        rooms.add(new RoomSummary(rs.getString(1), rs.getString(2), rs.getLong(3),
                                rs.getBoolean(4), rs.getString(5)));
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
        // The in-memory view of a deleted message has no deletion time: the time it is kept stands in for it.
        long keptAt = System.currentTimeMillis();
        try (PreparedStatement s = c.prepareStatement("INSERT INTO messages (room_id, id, ts, member_id, user_id,"
                + " user_name, body, reply_to, client_msg_id, edited_at, edited_by, edit_reason, deleted_at, deleted_by,"
                + " delete_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
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
                if (m.editedAt() == null) {
                    s.setNull(10, Types.BIGINT);
                } else {
                    s.setLong(10, m.editedAt());
                }
                s.setString(11, m.editedBy());
                s.setString(12, m.editReason());
                if (Boolean.TRUE.equals(m.deleted())) {
                    s.setLong(13, keptAt);
                } else {
                    s.setNull(13, Types.BIGINT);
                }
                s.setString(14, m.deletedBy());
                s.setString(15, m.deleteReason());
                s.addBatch();
                rows++;
            }
            if (rows > 0) {
                s.executeBatch();
            }
        }
    }

    /**
     * The members of a room being named were in it while its history was delivered to them live: they start with
     * it read. Their markers in memory are not handed over, and without this the whole history would count as
     * unread for everyone the moment the room is named.
     */
    private static void markAllRead(Connection c, String roomId, List<RoomMembership> members, long lastId)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "INSERT INTO read_markers (room_id, user_id, message_id) VALUES (?, ?, ?)")) {
            for (RoomMembership m : members) {
                s.setString(1, roomId);
                s.setString(2, m.userId());
                s.setLong(3, lastId);
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    /** Upsert without a dialect's own syntax: the same statements on H2 and MySQL/MariaDB. */
    private static void keepMember(Connection c, String roomId, RoomMembership m) throws SQLException {
        if (SqlWork.update(c, "UPDATE members SET role = ?, display_name = ? WHERE room_id = ? AND user_id = ?",
                m.role(), m.displayName(), roomId, m.userId()) == 0) {
            SqlWork.update(c, "INSERT INTO members (role, display_name, room_id, user_id) VALUES (?, ?, ?, ?)",
                    m.role(), m.displayName(), roomId, m.userId());
        }
    }


    /** The name and message count (one indexed range of the messages' primary key), for the host-platform API. */
    @Override
    public CompletionStage<Optional<RoomDetails>> details(String roomId) {
        return database.executor().submit(() -> database.call(c -> {
            String name;
            try (PreparedStatement s = c.prepareStatement("SELECT name FROM rooms WHERE id = ?")) {
                s.setString(1, roomId);
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.<RoomDetails>empty();
                    }
                    name = rs.getString(1);
                }
            }
            try (PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM messages WHERE room_id = ?")) {
                s.setString(1, roomId);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    return Optional.of(new RoomDetails(roomId, name, rs.getLong(1)));
                }
            }
        }));
    }
}
