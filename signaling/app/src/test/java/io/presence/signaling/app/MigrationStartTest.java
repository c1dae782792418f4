package io.presence.signaling.app;

import io.presence.signaling.app.config.ModuleSettings;
import io.presence.signaling.app.config.PresenceConfig;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A database whose migration history this build cannot run against (a migration that failed, or one from a newer
 * build) stops {@code presence serve} with exit code 1 and one line on stderr, no stack trace anywhere; {@code
 * presence db status} lists the migrations and exits 1 with one line too. Real processes, on H2 and MariaDB.
 */
class MigrationStartTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}, {1}")
    @CsvSource({"h2, failed", "h2, ahead", "mariadb, failed", "mariadb, ahead"})
    void anUnrunnableHistoryStopsTheStartWithOneLine(String kind, String history) throws Exception {
        if (kind.equals("h2")) {
            refused(history, "");
            return;
        }
        try (MariaDbSchema schema = MariaDbSchema.create()) {
            refused(history, schema.url());
        }
    }

    private void refused(String history, String storageUrl) throws Exception {
        Map<String, String> env = TestConfigs.ephemeralEnv(dir.resolve("data"));
        if (!storageUrl.isEmpty()) {
            env.put("PRESENCE_STORAGE_URL", storageUrl);
            env.put("PRESENCE_STORAGE_USER", "root");
        }
        PresenceCli cli = new PresenceCli(dir);
        PresenceCli.Run migrate = cli.run(env, "db", "migrate");
        assertEquals(0, migrate.exit(), migrate.toString());
        PresenceCli.Run status = cli.run(env, "db", "status");
        assertEquals(0, status.exit(), status.toString());

        PresenceConfig config = PresenceConfig.load(null, env);
        var settings = ModuleSettings.storage(config);
        try (Connection c = DriverManager.getConnection(settings.jdbcUrl(), settings.user(), settings.password());
             Statement s = c.createStatement()) {
            s.executeUpdate(history.equals("failed")
                    ? "UPDATE flyway_schema_history SET success = FALSE WHERE version = '1'"
                    : "INSERT INTO flyway_schema_history (installed_rank, version, description, type, script,"
                    + " checksum, installed_by, execution_time, success) VALUES (999, '999', 'from a newer build',"
                    + " 'SQL', 'V999__from_a_newer_build.sql', 0, 'test', 1, TRUE)");
        }
        String names = history.equals("failed") ? "failed" : "999";

        PresenceCli.Run serve = cli.run(env, "serve");
        assertEquals(1, serve.exit(), serve.toString());
        assertOneLine(serve, "presence: start failed: database migration failed: ", names);

        PresenceCli.Run invalid = cli.run(env, "db", "status");
        assertEquals(1, invalid.exit(), invalid.toString());
        assertTrue(invalid.stdout().contains("schema version "), invalid.toString());
        assertOneLine(invalid, "presence: database schema invalid: ", names);
    }

    private static void assertOneLine(PresenceCli.Run run, String prefix, String names) {
        String err = run.stderr().strip();
        assertFalse(err.contains("\n"), "more than one line on stderr: " + run);
        assertTrue(err.startsWith(prefix) && err.contains(names), run.toString());
        assertFalse(run.all().contains("\tat ") || run.all().contains("Caused by:"), "a stack trace: " + run);
        assertFalse(err.contains("Need more flexibility"), err);
    }
}
