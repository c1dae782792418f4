package io.presence.signaling.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/** Work on one pooled connection, run by {@link Database#call}; blocking, so storage threads only. */
@FunctionalInterface
interface SqlWork<T> {
    T run(Connection c) throws SQLException;

    /** Runs {@code sql} with {@code args} bound as strings, in order; the number of rows it changed. */
    static int update(Connection c, String sql, String... args) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setString(i + 1, args[i]);
            }
            return s.executeUpdate();
        }
    }
}
