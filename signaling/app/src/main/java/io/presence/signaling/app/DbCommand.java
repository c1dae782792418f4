package io.presence.signaling.app;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.presence.signaling.app.config.ConfigException;
import io.presence.signaling.app.config.ModuleSettings;
import io.presence.signaling.app.config.PresenceConfig;
import io.presence.signaling.jdbc.Database;
import io.presence.signaling.jdbc.StorageSettings;
import io.presence.signaling.jdbc.StorageStartException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintStream;
import java.util.concurrent.Callable;

/**
 * {@code presence db migrate | status}: the database schema for operators who migrate apart from the start
 * ({@code serve} also migrates). Reads the same configuration as {@code serve}; starts no listener.
 *
 * <p>Exit codes: 0 done, 1 the database failed (one line on stderr), 2 invalid configuration.
 */
@Command(name = "db", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
        description = "The database that keeps named rooms: apply migrations, or show their state.",
        subcommands = {DbCommand.Migrate.class, DbCommand.Status.class})
final class DbCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        CommandLine.usage(this, System.out);
        return Main.EXIT_OK;
    }

    @Command(name = "migrate", description = "Apply the pending migrations and exit.")
    static final class Migrate implements Callable<Integer> {
        @CommandLine.Mixin
        Main.ConfigOption config;

        @Override
        public Integer call() {
            return withDatabase(config, System.out, System.err, (database, out) -> {
                int applied = database.migrations().migrate();
                out.println(applied + " migration(s) applied; schema version "
                        + database.migrations().currentVersion());
            });
        }
    }

    @Command(name = "status", description = "Print each migration with its state (applied, pending, failed), and"
            + " exit 1 with one line when the database's history does not match this build's migrations.")
    static final class Status implements Callable<Integer> {
        @CommandLine.Mixin
        Main.ConfigOption config;

        @Override
        public Integer call() {
            return withDatabase(config, System.out, System.err, (database, out) -> {
                database.migrations().status().forEach(out::println);
                out.println("schema version " + database.migrations().currentVersion());
                database.migrations().validate();
            });
        }
    }

    private interface DatabaseWork {
        void run(Database database, PrintStream out);
    }

    private static int withDatabase(Main.ConfigOption option, PrintStream out, PrintStream err, DatabaseWork work) {
        StorageSettings settings;
        try {
            PresenceConfig config = option.load();
            settings = ModuleSettings.storage(config);
        } catch (ConfigException e) {
            err.println(e.getMessage());
            return Main.EXIT_CONFIG;
        }
        out.println("database " + Appliance.redacted(settings.jdbcUrl()));
        try (Database database = Database.open(settings, new SimpleMeterRegistry())) {
            work.run(database, out);
            return Main.EXIT_OK;
        } catch (StorageStartException e) {
            err.println("presence: " + e.getMessage());
            return Main.EXIT_START_FAILED;
        }
    }
}
