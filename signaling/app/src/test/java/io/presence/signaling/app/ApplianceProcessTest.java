package io.presence.signaling.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real process: CLI, signals, exit codes and what it writes. */
class ApplianceProcessTest {

    private static final String TURN_SECRET = "turn-secret-9f8e7d6c5b4a";

    @TempDir
    Path dir;

    private ProcessBuilder presence(Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("PRESENCE_"));
        pb.environment().putAll(env);
        return pb;
    }

    private Map<String, String> envWithSecrets() throws IOException {
        Map<String, String> env = TestConfigs.ephemeralEnv(dir.resolve("data"));
        Path secrets = dir.resolve("turn-secrets");
        Files.writeString(secrets, TURN_SECRET + "\n");
        env.put("PRESENCE_TURN_SECRETS_FILE", secrets.toString());
        env.put("PRESENCE_LOGGING_LEVEL", "trace");
        env.put("PRESENCE_LOGGING_FILE", dir.resolve("presence.log").toString());
        return env;
    }

    @Test
    void sigtermDrainsAndExitsZeroWithoutEverPrintingASecret() throws Exception {
        // Output goes to a file: a pipe read while the process exits can fail with "Stream closed".
        Path console = dir.resolve("console.txt");
        Process p = presence(envWithSecrets(), "serve").redirectOutput(console.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        List<String> output = Files.readAllLines(console);
        while (output.stream().noneMatch(l -> l.matches("presence \\S+ ready in \\d+ ms.*")) && p.isAlive()
                && System.nanoTime() < deadline) {
            Thread.sleep(20);
            output = Files.readAllLines(console);
        }
        List<String> started = output;
        Pattern admin = Pattern.compile("^admin\\s+http://127\\.0\\.0\\.1:(\\d+) .*");
        int adminPort = started.stream().map(admin::matcher).filter(Matcher::matches)
                .mapToInt(m -> Integer.parseInt(m.group(1))).findFirst().orElseThrow(() -> new AssertionError(
                        "no admin line: " + started));
        HttpResponse<String> readyz = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + adminPort + "/readyz")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, readyz.statusCode());

        p.destroy(); // SIGTERM
        assertTrue(p.waitFor(20, TimeUnit.SECONDS), "did not exit within the grace");
        output = Files.readAllLines(console);
        assertEquals(0, p.exitValue(), String.join("\n", output));
        assertTrue(output.contains("presence stopped"), String.join("\n", output));

        String all = String.join("\n", output) + Files.readString(dir.resolve("presence.log"));
        assertTrue(all.contains("stopping: draining"), "trace logging reached the file and console");
        assertFalse(all.contains(TURN_SECRET), "a secret was logged");
        assertFalse(all.contains(TURN_SECRET.substring(TURN_SECRET.length() - 8)), "part of a secret was logged");
    }

    @Test
    void checkConfigShowsSourcesButNotSecrets() throws Exception {
        Process p = presence(envWithSecrets(), "check-config").start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("turn.secrets = <secret>  (file "), out);
        assertTrue(out.endsWith("configuration OK\n"), out);
        assertFalse(out.contains(TURN_SECRET));
    }

    @Test
    void invalidConfigurationRefusesToStartWithOneLine() throws Exception {
        Map<String, String> env = TestConfigs.ephemeralEnv(dir.resolve("data"));
        env.put("PRESENCE_METRICS_PORT", "99999");
        Process p = presence(env, "serve").start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(2, p.exitValue());
        assertEquals("invalid configuration: metrics.port = \"99999\": out of range (allowed: 0..65535)\n", out);
    }

    @Test
    void configFileFromEnvironmentAndVersionCommand() throws Exception {
        Path file = dir.resolve("p.yaml");
        Files.writeString(file, "turn:\n  realm: from-file.example\n");
        Map<String, String> env = TestConfigs.ephemeralEnv(dir.resolve("data"));
        env.put("PRESENCE_CONFIG", file.toString());
        Process p = presence(env, "check-config").start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertTrue(out.contains("turn.realm = from-file.example  (config file)"), out);

        p = presence(Map.of(), "version").start();
        out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue());
        assertTrue(out.matches("presence \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\n"), out);
    }
}
