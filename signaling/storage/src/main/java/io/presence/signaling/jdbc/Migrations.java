package io.presence.signaling.jdbc;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The schema's versions (Flyway, {@code classpath:db/migration}). A failed, missing, changed or out-of-order
 * migration stops the start: Flyway validates the applied history against the scripts before migrating.
 */
public final class Migrations {
    private final Flyway flyway;

    public Migrations(DataSource dataSource) {
        this.flyway = Flyway.configure(Migrations.class.getClassLoader())
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .placeholders(Map.of("table_options", tableOptions(dataSource)))
                // Nothing is ignored: a migration applied here but unknown to this build (a newer appliance ran
                // against this database), one missing, one changed or one pending below the current version each
                // stop the start rather than run an appliance against a schema it does not know.
                .ignoreMigrationPatterns(new String[0])
                .validateMigrationNaming(true)
                .load();
    }

    /** Applies what is pending; returns how many migrations ran. */
    public int migrate() {
        try {
            return flyway.migrate().migrationsExecuted;
        } catch (FlywayException e) {
            throw new StorageStartException("database migration failed: " + oneLine(e.getMessage()), e);
        }
    }

    /** One line per known migration: version, description, state. */
    public List<String> status() {
        try {
            List<String> lines = new ArrayList<>();
            for (MigrationInfo info : flyway.info().all()) {
                lines.add(info.getVersion() + "  " + info.getDescription() + "  " + info.getState().getDisplayName());
            }
            return lines;
        } catch (FlywayException e) {
            throw new StorageStartException("database status failed: " + oneLine(e.getMessage()), e);
        }
    }

    /** Current schema version, or "none" before the first migration. */
    public String currentVersion() {
        MigrationInfo current = flyway.info().current();
        return current == null ? "none" : current.getVersion().getVersion();
    }

    private static String tableOptions(DataSource dataSource) {
        try (Connection c = dataSource.getConnection()) {
            String product = c.getMetaData().getDatabaseProductName().toLowerCase();
            return product.contains("mysql") || product.contains("mariadb")
                    ? "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin" : "";
        } catch (SQLException e) {
            throw new StorageStartException("database unreachable: " + oneLine(e.getMessage()), e);
        }
    }

    static String oneLine(String message) {
        if (message == null) {
            return "(no detail)";
        }
        return message.strip().replaceAll("\\s*\\R\\s*", " | ");
    }
}
