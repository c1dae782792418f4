package io.presence.signaling.app;

import io.presence.net.LeakDetection;
import io.presence.signaling.app.config.ConfigException;
import io.presence.signaling.app.config.SignInWarnings;
import io.presence.signaling.app.config.ExampleConfig;
import io.presence.signaling.app.config.PresenceConfig;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * The {@code presence} command line: {@code serve} (the default), {@code check-config}, {@code version},
 * {@code example-config}, {@code loadtest}, {@code doctor}, {@code db} and {@code token}. {@code --help} and
 * {@code --version} work on every command; {@code --config} works before the command (as {@code --help} shows it) and after it, see
 * {@link ConfigPlacement}.
 *
 * <p>Exit codes: 0 after a clean stop, 1 when the appliance failed to start, 2 for invalid configuration
 * or usage.
 */
@Command(name = "presence", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
        scope = CommandLine.ScopeType.INHERIT,
        description = "Presence: rooms, chat, WebRTC call signaling and a STUN/TURN relay in one process.",
        subcommands = {Main.Serve.class, Main.CheckConfig.class, Main.VersionCommand.class, Main.ExampleConfigCommand.class,
                LoadTestCommand.class, DoctorCommand.class, DbCommand.class, TokenCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Callable<Integer> {

    static final int EXIT_OK = 0;
    static final int EXIT_START_FAILED = 1;
    static final int EXIT_CONFIG = 2;

    @CommandLine.Mixin
    ConfigOption config;

    public static void main(String[] args) {
        LeakDetection.productionDefault();
        System.exit(commandLine().execute(args));
    }

    /** The command tree with its execution strategy; tests run it in-process. */
    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionStrategy(parsed -> {
            ConfigPlacement.reconcile(parsed);
            return new CommandLine.RunLast().execute(parsed);
        });
        return cli;
    }

    /** No subcommand: serve. */
    @Override
    public Integer call() {
        return Serve.run(config, System.out, System.err);
    }

    /** {@code --config}, falling back to {@code PRESENCE_CONFIG}. */
    static final class ConfigOption {
        @Option(names = {"-c", "--config"}, paramLabel = "FILE",
                description = "YAML configuration file (default: $PRESENCE_CONFIG, else built-in defaults).")
        Path file;

        Path resolve(Map<String, String> env) {
            if (file != null) {
                return file;
            }
            String fromEnv = env.get("PRESENCE_CONFIG");
            return fromEnv == null || fromEnv.isBlank() ? null : Path.of(fromEnv);
        }

        PresenceConfig load() throws ConfigException {
            Map<String, String> env = System.getenv();
            return PresenceConfig.load(resolve(env), env);
        }
    }

    @Command(name = "serve", description = "Start the appliance (the default command).")
    static final class Serve implements Callable<Integer> {
        @CommandLine.Mixin
        ConfigOption config;

        @Override
        public Integer call() {
            return run(config, System.out, System.err);
        }

        static int run(ConfigOption option, PrintStream out, PrintStream err) {
            PresenceConfig config;
            try {
                config = option == null ? new ConfigOption().load() : option.load();
            } catch (ConfigException e) {
                err.println(e.getMessage());
                return EXIT_CONFIG;
            }
            LoggingSetup.apply(config.logging());
            var log = LoggerFactory.getLogger(Main.class);
            for (String name : config.values().ignoredEnvironment()) {
                log.warn("environment variable {} is not a configuration key; ignored", name);
            }
            CountDownLatch stop = new CountDownLatch(1);
            // SIGTERM and SIGINT start an orderly stop, after which the process exits 0 (a JVM killed by
            // the default handler would exit 143 and skip the drain).
            Signal.handle(new Signal("TERM"), s -> stop.countDown());
            Signal.handle(new Signal("INT"), s -> stop.countDown());
            Appliance appliance = new Appliance(config, out);
            try {
                appliance.start();
            } catch (Exception e) {
                log.error("start failed: {}", e.toString());
                err.println("presence: start failed: " + e.getMessage());
                LoggingSetup.flush();
                return EXIT_START_FAILED;
            }
            try {
                stop.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            appliance.stop();
            out.println("presence stopped");
            out.flush();
            LoggingSetup.flush();
            return EXIT_OK;
        }
    }

    @Command(name = "check-config", description = "Validate the configuration, print the effective values "
            + "(secrets hidden) and exit.")
    static final class CheckConfig implements Callable<Integer> {
        @CommandLine.Mixin
        ConfigOption config;

        @Override
        public Integer call() {
            try {
                PresenceConfig loaded = config.load();
                loaded.values().describe().forEach(System.out::println);
                for (String name : loaded.values().ignoredEnvironment()) {
                    System.out.println("warning: environment variable " + name + " is not a configuration key");
                }
                for (String warning : SignInWarnings.lines(loaded)) {
                    System.out.println("warning: " + warning);
                }
                System.out.println("configuration OK");
                return EXIT_OK;
            } catch (ConfigException e) {
                System.err.println(e.getMessage());
                return EXIT_CONFIG;
            }
        }
    }

    @Command(name = "version", description = "Print the version.")
    static final class VersionCommand implements Callable<Integer> {
        @Override
        public Integer call() {
            System.out.println("presence " + Version.current());
            return EXIT_OK;
        }
    }

    @Command(name = "example-config", description = "Print a configuration file documenting every key with "
            + "its default, bounds and environment variable.")
    static final class ExampleConfigCommand implements Callable<Integer> {
        @Override
        public Integer call() {
            System.out.print(ExampleConfig.render());
            return EXIT_OK;
        }
    }

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{"presence " + Version.current()};
        }
    }
}
