package io.presence.signaling.jdbc;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.configuration.FluentConfiguration;

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
    static final String LOCATION = "classpath:db/migration";
    /** How long the start waits for the database before it gives up. */
    static final long START_WAIT_MS = 30_000;

    private final DataSource dataSource;
    private final String[] locations;
    private final Flyway flyway;

    public Migrations(DataSource dataSource) {
        this(dataSource, LOCATION);
    }

    /** Over other script locations besides (tests: a migration that arrives out of order). */
    Migrations(DataSource dataSource, String... locations) {
        this.dataSource = dataSource;
        this.locations = locations.clone();
        this.flyway = configure(null).load();
    }

    /** The configuration every run shares; {@code target} null = the latest version. */
    private FluentConfiguration configure(String target) {
        FluentConfiguration c = Flyway.configure(Migrations.class.getClassLoader())
                .dataSource(dataSource)
                .locations(locations)
                .placeholders(Map.of("table_options", tableOptions(dataSource)))
                // Nothing is ignored: a migration applied here but unknown to this build (a newer appliance ran
                // against this database), one missing, one changed or one pending below the current version each
                // stop the start rather than run an appliance against a schema it does not know.
                .ignoreMigrationPatterns(new String[0])
                .validateMigrationNaming(true);
        return target == null ? c : c.target(target);
    }

    /** The versions of the migrations this build carries, oldest first. */
    public List<String> versions() {
        List<String> versions = new ArrayList<>();
        for (MigrationInfo info : flyway.info().all()) {
            if (info.getVersion() != null && info.getScript() != null && info.getState().isResolved()) {
                versions.add(info.getVersion().getVersion());
            }
        }
        return versions;
    }

    /** Applies what is pending up to and including {@code version}; returns how many migrations ran. */
    public int migrateTo(String version) {
        try {
            return configure(version).load().migrate().migrationsExecuted;
        } catch (FlywayException e) {
            throw new StorageStartException("database migration failed: " + flywayLine(e), e);
        }
    }

    /**
     * Checks the applied history against this build's scripts without changing anything: a failed, missing,
     * changed or out-of-order migration throws with one line. Pending migrations are fine ({@code migrate}
     * applies them).
     */
    public void validate() {
        try {
            var result = configure(null).ignoreMigrationPatterns("*:pending").load().validateWithResult();
            if (!result.validationSuccessful) {
                String detail = result.invalidMigrations.isEmpty() ? result.getAllErrorMessages()
                        : result.invalidMigrations.get(0).errorDetails.errorMessage;
                throw new StorageStartException("database schema invalid: " + flywayLine(detail), null);
            }
        } catch (FlywayException e) {
            throw new StorageStartException("database schema invalid: " + flywayLine(e), e);
        }
    }

    /** Applies what is pending; returns how many migrations ran. */
    public int migrate() {
        try {
            return flyway.migrate().migrationsExecuted;
        } catch (FlywayException e) {
            throw new StorageStartException("database migration failed: " + flywayLine(e), e);
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
            throw new StorageStartException("database status failed: " + flywayLine(e), e);
        }
    }

    /** Current schema version, or "none" before the first migration. */
    public String currentVersion() {
        MigrationInfo current = flyway.info().current();
        return current == null ? "none" : current.getVersion().getVersion();
    }

    private static String tableOptions(DataSource dataSource) {
        try (Connection c = firstConnection(dataSource)) {
            String product = c.getMetaData().getDatabaseProductName().toLowerCase();
            return product.contains("mysql") || product.contains("mariadb")
                    ? "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin" : "";
        } catch (SQLException e) {
            throw new StorageStartException("database unreachable: "
                    + oneLine(Database.innermost(e).getMessage()), e);
        }
    }

    /** Flyway's message as one line, without its advertising and its generic lead-in. */
    static String flywayLine(FlywayException e) {
        return flywayLine(e.getMessage());
    }

    static String flywayLine(String flywayMessage) {
        String message = flywayMessage == null ? "" : flywayMessage;
        String kept = message.lines().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("Need more flexibility")
                        && !l.startsWith("Validate failed: Migrations have failed validation"))
                .collect(java.util.stream.Collectors.joining("\n"));
        return oneLine(kept.isEmpty() ? message : kept);
    }

    /**
     * A connection for the start, which may wait longer than a room's call: a database starting next to the
     * appliance (compose, a pod) or an embedded file opened on a busy machine can take more than the pool's
     * timeout. Gives up after {@link #START_WAIT_MS}, with the pool's last word.
     */
    private static Connection firstConnection(DataSource dataSource) throws SQLException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(START_WAIT_MS);
        while (true) {
            try {
                return dataSource.getConnection();
            } catch (java.sql.SQLTransientConnectionException timedOut) {
                if (System.nanoTime() >= deadline) {
                    throw timedOut;
                }
            }
        }
    }

    static String oneLine(String message) {
        if (message == null) {
            return "(no detail)";
        }
        return message.strip().replaceAll("\\s*\\R\\s*", " | ");
    }
}
