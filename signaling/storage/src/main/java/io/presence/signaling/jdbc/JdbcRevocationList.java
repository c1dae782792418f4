package io.presence.signaling.jdbc;

import io.presence.signaling.identity.InMemoryRevocationList;
import io.presence.signaling.identity.RevocationList;
import io.presence.signaling.storage.StorageUnavailableException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.OptionalLong;
import java.util.concurrent.CompletionStage;

/**
 * Revocations in the {@code revocations} table (migration V6), so that a restart does not bring a revoked user's
 * tokens back. The whole table is read once at start and kept in memory: the sign-in path asks
 * {@link #revokedAt} on an event loop and must not wait for the database. {@link #revoke} is in effect in memory at
 * once; the row is written on the storage executor.
 *
 * <p>Thread-safe.
 */
public final class JdbcRevocationList implements RevocationList {

    private final Database database;
    private final InMemoryRevocationList memory = new InMemoryRevocationList();

    private JdbcRevocationList(Database database) {
        this.database = database;
    }

    /** Reads every revocation; blocks on the database: call at start, never on an event loop. */
    public static JdbcRevocationList load(Database database) {
        JdbcRevocationList list = new JdbcRevocationList(database);
        try (Connection c = database.dataSource().getConnection();
             PreparedStatement s = c.prepareStatement("SELECT user_id, revoked_at FROM revocations");
             ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                list.memory.record(rs.getString(1), rs.getLong(2));
            }
        } catch (SQLException e) {
            database.metrics().failed(e);
            throw new StorageUnavailableException("cannot read the revocations: " + Migrations.oneLine(e.getMessage()),
                    e);
        }
        return list;
    }

    @Override
    public CompletionStage<Void> revoke(String userId, long revokedAtMillis) {
        memory.record(userId, revokedAtMillis);
        return database.executor().submit(() -> {
            try (Connection c = database.dataSource().getConnection()) {
                write(c, userId, revokedAtMillis);
                return null;
            } catch (SQLException e) {
                database.metrics().failed(e);
                throw new StorageUnavailableException("storage unavailable: " + Migrations.oneLine(e.getMessage()), e);
            }
        });
    }

    /** Moves the row forward, never back; inserts it when there is none (the same SQL on H2 and MariaDB). */
    private static void write(Connection c, String userId, long at) throws SQLException {
        try (PreparedStatement update = c.prepareStatement(
                "UPDATE revocations SET revoked_at = CASE WHEN revoked_at < ? THEN ? ELSE revoked_at END "
                        + "WHERE user_id = ?")) {
            update.setLong(1, at);
            update.setLong(2, at);
            update.setString(3, userId);
            if (update.executeUpdate() > 0) {
                return;
            }
        }
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO revocations (user_id, revoked_at) VALUES (?, ?)")) {
            insert.setString(1, userId);
            insert.setLong(2, at);
            insert.executeUpdate();
        } catch (java.sql.SQLIntegrityConstraintViolationException raced) {
            // another writer inserted the row between our update and insert: move it forward instead
            write(c, userId, at);
        }
    }

    @Override
    public OptionalLong revokedAt(String userId) {
        return memory.revokedAt(userId);
    }
}
