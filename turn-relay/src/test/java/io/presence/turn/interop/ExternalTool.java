package io.presence.turn.interop;

import org.junit.jupiter.api.Assumptions;

import java.io.File;

/**
 * Finds an external client on the PATH. Tests using one are skipped when it is absent — unless
 * {@code PRESENCE_E2E=required} (CI), where an absent tool fails the test.
 */
final class ExternalTool {
    private ExternalTool() {
    }

    static String require(String name) {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                File f = new File(dir, name);
                if (f.canExecute()) {
                    return f.getAbsolutePath();
                }
            }
        }
        if ("required".equals(System.getenv("PRESENCE_E2E"))) {
            throw new AssertionError(name + " is not installed but PRESENCE_E2E=required");
        }
        Assumptions.abort(name + " is not installed (set PRESENCE_E2E=required to make this a failure)");
        return null;
    }
}
