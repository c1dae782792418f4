package io.presence.net;

import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code openssl} command line, for keys and certificates in the forms operators bring. Absent tool: the test is
 * skipped, unless {@code PRESENCE_E2E=required} (CI), where it fails.
 */
final class OpenSsl {
    private final String binary;
    private final Path dir;

    private OpenSsl(String binary, Path dir) {
        this.binary = binary;
        this.dir = dir;
    }

    /** Runs in {@code dir}: relative file names in arguments are files there. */
    static OpenSsl in(Path dir) {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String d : path.split(File.pathSeparator)) {
                File f = new File(d, "openssl");
                if (f.canExecute()) {
                    return new OpenSsl(f.getAbsolutePath(), dir);
                }
            }
        }
        if ("required".equals(System.getenv("PRESENCE_E2E"))) {
            throw new AssertionError("openssl is not installed but PRESENCE_E2E=required");
        }
        Assumptions.abort("openssl is not installed (set PRESENCE_E2E=required to make this a failure)");
        throw new IllegalStateException("unreachable");
    }

    /** Runs {@code openssl args...} and fails the test unless it exits 0. */
    void run(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(binary));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "openssl did not finish: " + command);
        assertEquals(0, p.exitValue(), command + "\n" + out);
    }

    /** A self-signed certificate for {@code key} (any form openssl reads) in {@code cert}. */
    void selfSigned(String key, String cert, String commonName) throws Exception {
        run("req", "-x509", "-new", "-key", key, "-subj", "/CN=" + commonName, "-days", "2", "-out", cert);
    }

    /** A certificate for {@code key} signed by {@code caCert}/{@code caKey}. */
    void signed(String key, String cert, String commonName, String caCert, String caKey) throws Exception {
        run("req", "-new", "-key", key, "-subj", "/CN=" + commonName, "-out", cert + ".csr");
        run("x509", "-req", "-in", cert + ".csr", "-CA", caCert, "-CAkey", caKey, "-CAcreateserial", "-days", "2",
                "-out", cert);
    }
}
