package io.presence.signaling.app;

import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds an external tool for a test. Absent tool: the test is skipped, unless PRESENCE_E2E=required
 * (as in CI), where it fails: a missing install step must not pass silently.
 */
public final class ExternalTools {

    private ExternalTools() {
    }

    public static Path require(String tool) {
        // Daemons (nginx) install to sbin, which a non-root PATH often leaves out.
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin") + File.pathSeparator + "/usr/sbin"
                + File.pathSeparator + "/sbin";
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, tool);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        if ("required".equals(System.getenv("PRESENCE_E2E"))) {
            throw new AssertionError(tool + " is not installed but PRESENCE_E2E=required");
        }
        Assumptions.abort(tool + " is not installed (set PRESENCE_E2E=required to make this a failure)");
        throw new IllegalStateException("unreachable");
    }
}
