package io.presence.signaling.app;

import org.junit.jupiter.api.Assumptions;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A fresh database {@code presence_test_<random>} on the MariaDB server at 127.0.0.1:3306 (root, no password),
 * dropped on close. Skips the test when the server is unreachable, unless PRESENCE_E2E=required.
 */
final class MariaDbSchema implements AutoCloseable {
    static final String SERVER = "jdbc:mysql://127.0.0.1:3306/";

    final String name;

    private MariaDbSchema(String name) {
        this.name = name;
    }

    static MariaDbSchema create() {
        String name = "presence_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(SERVER, "root", ""); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
        } catch (SQLException e) {
            if ("required".equals(System.getenv("PRESENCE_E2E"))) {
                throw new AssertionError("MariaDB at 127.0.0.1:3306 is unreachable but PRESENCE_E2E=required", e);
            }
            Assumptions.abort("MariaDB at 127.0.0.1:3306 is unreachable (set PRESENCE_E2E=required to fail)");
        }
        return new MariaDbSchema(name);
    }

    /** The JDBC URL of this database, through {@code host:port} (a proxy in front of the server, say). */
    String url(String hostPort) {
        return "jdbc:mysql://" + hostPort + "/" + name;
    }

    String url() {
        return url("127.0.0.1:3306");
    }

    @Override
    public void close() throws SQLException {
        try (Connection c = DriverManager.getConnection(SERVER, "root", ""); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name);
        }
    }
}
