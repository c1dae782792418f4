package io.presence.signaling.jdbc;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A fresh, empty database for one test: the embedded H2 file in a temporary data directory, or a new schema
 * {@code presence_test_<random>} on the MariaDB server at 127.0.0.1:3306 (dropped on close). MariaDB tests are
 * skipped when the server is unreachable, unless PRESENCE_E2E=required, where that fails.
 */
final class TestDatabase implements AutoCloseable {
    static final String MARIADB_SERVER = "jdbc:mysql://127.0.0.1:3306/";

    final String kind;
    final StorageSettings settings;
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final Path dataDir;
    private final String schema;

    private TestDatabase(String kind, StorageSettings settings, Path dataDir, String schema) {
        this.kind = kind;
        this.settings = settings;
        this.dataDir = dataDir;
        this.schema = schema;
    }

    static Stream<String> kinds() {
        return Stream.of("h2", "mariadb");
    }

    static TestDatabase create(String kind) throws IOException {
        Path dataDir = Files.createTempDirectory("presence-store-");
        if (kind.equals("h2")) {
            return new TestDatabase(kind, settings("", dataDir, 2), dataDir, null);
        }
        String schema = "presence_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(MARIADB_SERVER, "root", "");
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + schema + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
        } catch (SQLException e) {
            if ("required".equals(System.getenv("PRESENCE_E2E"))) {
                throw new AssertionError("MariaDB at 127.0.0.1:3306 is unreachable but PRESENCE_E2E=required", e);
            }
            Assumptions.abort("MariaDB at 127.0.0.1:3306 is unreachable (set PRESENCE_E2E=required to fail): "
                    + e.getMessage());
        }
        return new TestDatabase(kind, settings(MARIADB_SERVER + schema, dataDir, 2), dataDir, schema);
    }

    static StorageSettings settings(String url, Path dataDir, int poolSize) {
        return new StorageSettings(url, url.isEmpty() ? "" : "root", "", poolSize, 1_000, dataDir);
    }

    /** A new pool on this database, migrated. */
    Database open() {
        return open(settings);
    }

    Database open(StorageSettings withSettings) {
        Database db = Database.open(withSettings, registry);
        db.migrations().migrate();
        return db;
    }

    StorageSettings withPoolSize(int poolSize) {
        return settings(settings.url(), settings.dataDir(), poolSize);
    }

    @Override
    public void close() throws Exception {
        if (schema != null) {
            try (Connection c = DriverManager.getConnection(MARIADB_SERVER, "root", "");
                 Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + schema);
            }
        }
        try (Stream<Path> files = Files.walk(dataDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    @Override
    public String toString() {
        return kind;
    }
}
