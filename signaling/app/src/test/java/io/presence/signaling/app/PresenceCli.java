package io.presence.signaling.app;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code presence} command as a separate process on the test class path, with only the given PRESENCE_*
 * variables; stdout and stderr kept apart (in files: a pipe read while the process exits can fail).
 */
final class PresenceCli {

    /** What one run printed and how it ended. */
    record Run(int exit, String stdout, String stderr) {
        String all() {
            return stdout + stderr;
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }

    private final Path dir;

    PresenceCli(Path dir) {
        this.dir = dir;
    }

    ProcessBuilder builder(Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().keySet().removeIf(k -> k.startsWith("PRESENCE_"));
        pb.environment().putAll(env);
        return pb;
    }

    /** Runs to its end (at most a minute) and returns what it printed. */
    Run run(Map<String, String> env, String... args) throws Exception {
        Path out = Files.createTempFile(dir, "stdout", ".txt");
        Path err = Files.createTempFile(dir, "stderr", ".txt");
        Process p = builder(env, args).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        boolean ended = p.waitFor(60, TimeUnit.SECONDS);
        if (!ended) {
            p.destroyForcibly();
        }
        assertTrue(ended, "presence " + String.join(" ", args) + " did not end within a minute");
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }
}
