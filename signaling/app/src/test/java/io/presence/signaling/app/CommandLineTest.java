package io.presence.signaling.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line as a newcomer types it: options where {@code --help} shows them, and nothing silently ignored. */
class CommandLineTest {

    @TempDir
    Path dir;

    private PresenceCli cli() {
        return new PresenceCli(dir);
    }

    private Path configFile(String name, String realm) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, "turn:\n  realm: " + realm + "\n");
        return file;
    }

    @Test
    void theConfigFileIsReadBeforeAndAfterTheCommand() throws Exception {
        Path file = configFile("p.yaml", "from-file.example");
        Map<String, String> env = TestConfigs.ephemeralEnv(dir.resolve("data"));
        for (List<String> args : List.of(List.of("-c", file.toString(), "check-config"),
                List.of("--config", file.toString(), "check-config"),
                List.of("check-config", "-c", file.toString()),
                List.of("--config=" + file, "check-config", "--config=" + file))) {
            PresenceCli.Run run = cli().run(env, args.toArray(String[]::new));
            assertEquals(0, run.exit(), args + "\n" + run);
            assertTrue(run.stdout().contains("turn.realm = from-file.example  (config file)"), args + "\n" + run);
        }
    }

    @Test
    void aNamedFileThatDoesNotExistIsAnErrorNamingIt() throws Exception {
        Path missing = dir.resolve("missing.yaml");
        Map<String, String> env = TestConfigs.ephemeralEnv(dir.resolve("data"));
        for (String[] args : List.of(new String[]{"-c", missing.toString(), "check-config"},
                new String[]{"check-config", "-c", missing.toString()},
                new String[]{"-c", missing.toString(), "serve"})) {
            PresenceCli.Run run = cli().run(env, args);
            assertEquals(2, run.exit(), run.toString());
            assertEquals("invalid configuration: --config = " + missing + ": file does not exist "
                    + "(allowed: a readable YAML file)\n", run.stderr(), run.toString());
        }
    }

    @Test
    void aFileNamedForACommandThatReadsNoConfigurationIsAUsageError() throws Exception {
        Path file = configFile("p.yaml", "x");
        PresenceCli.Run run = cli().run(Map.of(), "-c", file.toString(), "version");
        assertEquals(2, run.exit(), run.toString());
        assertTrue(run.stderr().startsWith("presence version reads no configuration file, but --config " + file
                + " was given; remove it"), run.toString());
        assertEquals("", run.stdout());
    }

    @Test
    void twoDifferentFilesAreAUsageErrorAndTheSameFileTwiceIsNot() throws Exception {
        Path a = configFile("a.yaml", "a.example");
        Path b = configFile("b.yaml", "b.example");
        Map<String, String> env = TestConfigs.ephemeralEnv(dir.resolve("data"));
        PresenceCli.Run run = cli().run(env, "-c", a.toString(), "check-config", "-c", b.toString());
        assertEquals(2, run.exit(), run.toString());
        assertTrue(run.stderr().startsWith("--config is given twice with different files (" + a
                + " before check-config, " + b + " after it); name one"), run.toString());

        run = cli().run(env, "-c", a.toString(), "check-config", "-c", a.toString());
        assertEquals(0, run.exit(), run.toString());
        assertTrue(run.stdout().contains("turn.realm = a.example  (config file)"), run.toString());
    }

    @Test
    void everyCommandAnswersHelpAndVersion() {
        CommandLine root = Main.commandLine();
        for (String name : root.getSubcommands().keySet()) {
            StringWriter out = new StringWriter();
            CommandLine cli = Main.commandLine();
            cli.setOut(new PrintWriter(out));
            cli.setErr(new PrintWriter(out));
            assertEquals(0, cli.execute(name, "--help"), name + ": " + out);
            assertTrue(out.toString().contains("Usage: presence " + name), name + ": " + out);
        }
        StringWriter out = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out));
        assertEquals(0, cli.execute("loadtest", "--help"));
        for (String option : List.of("--connections", "--rate", "--json", "--progress-every", "--transport")) {
            assertTrue(out.toString().contains(option), option + " in\n" + out);
        }
        out = new StringWriter();
        cli = Main.commandLine();
        cli.setOut(new PrintWriter(out));
        assertEquals(0, cli.execute("check-config", "--version"));
        assertTrue(out.toString().startsWith("presence "), out.toString());
    }

    @Test
    void aWeakTurnSecretIsRefusedUnlessTheSetupSaysItIsATest() throws Exception {
        Map<String, String> env = TestConfigs.ephemeralEnv(dir.resolve("data"));
        env.put("PRESENCE_TURN_SECRETS", "short-secret");
        PresenceCli.Run run = cli().run(env, "check-config");
        assertEquals(2, run.exit(), run.toString());
        assertEquals("invalid configuration: turn.secrets = <secret from PRESENCE_TURN_SECRETS>: item 1 is weak: "
                + "about 72 bits of strength, at least 128 are needed (allowed: at least 22 base64 characters, 32 hex "
                + "digits or 39 decimal digits, with at least 5 different characters (e.g. openssl rand -base64 32); "
                + "or turn.allowWeakSecrets: true for a test setup)\n", run.stderr());
        assertFalse(run.all().contains("short-secret"));

        env.put("PRESENCE_TURN_ALLOW_WEAK_SECRETS", "true");
        run = cli().run(env, "check-config");
        assertEquals(0, run.exit(), run.toString());
        assertTrue(run.stdout().contains("turn.allowWeakSecrets = true  (PRESENCE_TURN_ALLOW_WEAK_SECRETS)"),
                run.toString());
    }

    @Test
    void theDevelopmentProviderIsAWarningOnEveryStartAndLoudOnAReachableAddress() throws Exception {
        Map<String, String> env = TestConfigs.ephemeralEnv(dir.resolve("data"));
        env.put("PRESENCE_SIGNALING_DEV_AUTH", "true");
        env.put("PRESENCE_SIGNALING_HOST", "0.0.0.0"); // only checked here, never bound
        PresenceCli.Run run = cli().run(env, "check-config");
        assertEquals(0, run.exit(), run.toString());
        assertTrue(run.stdout().contains("warning: DEVELOPMENT AUTHENTICATION IS ENABLED ON A NON-LOOPBACK ADDRESS "
                + "(signaling.host 0.0.0.0): anyone who can reach this server signs in under any name. Set "
                + "signaling.devAuth: false"), run.toString());

        env.put("PRESENCE_SIGNALING_HOST", "127.0.0.1");
        Path console = dir.resolve("console.txt");
        Process p = cli().builder(env, "serve").redirectErrorStream(true).redirectOutput(console.toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            String output = "";
            while (!output.contains(" ready in ") && p.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(50);
                output = Files.readString(console);
            }
            String all = output;
            String warning = output.lines().filter(l -> l.contains("development authentication")).findFirst()
                    .orElseThrow(() -> new AssertionError("no warning in\n" + all));
            assertTrue(warning.contains(" WARN "), warning);
            assertTrue(warning.contains("(signaling.devAuth) is enabled: anyone who can connect signs in under any "
                    + "name; the signaling listeners are on loopback only"), warning);
        } finally {
            p.destroy();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        }
    }
}
