package io.presence.signaling.app;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code presence serve} as a child process (the test class path, only the given PRESENCE_* variables), its
 * console in a file; started when it printed its ready line, so its listeners are known.
 */
final class ChildAppliance implements AutoCloseable {
    private static final Pattern LISTENER = Pattern.compile("^(signaling ws|admin)\\s+(\\S+).*");

    private final Process process;
    private final Path console;
    private final URI webSocket;
    private final URI admin;

    private ChildAppliance(Process process, Path console, URI webSocket, URI admin) {
        this.process = process;
        this.console = console;
        this.webSocket = webSocket;
        this.admin = admin;
    }

    /** Starts it and waits (at most a minute) for its ready line; fails with its console when it does not come. */
    static ChildAppliance start(Path dir, Map<String, String> env) throws Exception {
        Path console = Files.createTempFile(dir, "console", ".txt");
        Process p = new PresenceCli(dir).builder(env, "serve").redirectErrorStream(true)
                .redirectOutput(console.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        List<String> lines = List.of();
        while (System.nanoTime() < deadline && p.isAlive()) {
            lines = Files.readAllLines(console, StandardCharsets.UTF_8);
            if (lines.stream().anyMatch(l -> l.matches("presence \\S+ ready in \\d+ ms.*"))) {
                break;
            }
            Thread.sleep(20);
        }
        URI ws = null;
        URI admin = null;
        for (String line : new ArrayList<>(lines)) {
            Matcher m = LISTENER.matcher(line);
            if (m.matches() && m.group(1).equals("signaling ws")) {
                ws = URI.create(m.group(2));
            } else if (m.matches()) {
                admin = URI.create(m.group(2));
            }
        }
        if (ws == null || admin == null) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("the appliance did not start: " + Files.readString(console));
        }
        return new ChildAppliance(p, console, ws, admin);
    }

    URI webSocket() {
        return webSocket;
    }

    /** The admin listener's base URI (/metrics, /readyz). */
    URI admin() {
        return admin;
    }

    String console() throws IOException {
        return Files.readString(console, StandardCharsets.UTF_8);
    }

    /**
     * {@code kill -9}: {@link Process#destroyForcibly()} sends SIGKILL on Linux, which the exit status (128 + 9)
     * confirms; nothing in the process runs after it (no shutdown hook, no flush).
     */
    int kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("still alive after SIGKILL");
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
