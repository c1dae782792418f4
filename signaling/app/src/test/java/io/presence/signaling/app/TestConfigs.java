package io.presence.signaling.app;

import io.presence.signaling.app.config.PresenceConfig;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Configurations for tests: every port chosen by the kernel, data in a temporary directory. */
final class TestConfigs {

    private TestConfigs() {
    }

    static Map<String, String> ephemeralEnv(Path dataDir) {
        Map<String, String> env = new HashMap<>();
        env.put("PRESENCE_SERVER_DATA_DIR", dataDir.toString());
        env.put("PRESENCE_SERVER_SHUTDOWN_GRACE", "1s");
        env.put("PRESENCE_SERVER_IO_THREADS", "2");
        env.put("PRESENCE_METRICS_PORT", "0");
        env.put("PRESENCE_STUN_HOST", "127.0.0.1");
        env.put("PRESENCE_STUN_PORT", "0");
        env.put("PRESENCE_SIGNALING_HOST", "127.0.0.1");
        env.put("PRESENCE_SIGNALING_WS_PORT", "0");
        env.put("PRESENCE_SIGNALING_TCP_PORT", "0");
        return env;
    }

    /**
     * Dev sign-in and the database of named rooms: the embedded H2 in {@code dataDir} when {@code storageUrl} is
     * empty, else that URL as user root (the MariaDB server of the tests).
     */
    static Map<String, String> persistentRoomsEnv(Path dataDir, String storageUrl) {
        Map<String, String> env = ephemeralEnv(dataDir);
        env.put("PRESENCE_SIGNALING_DEV_AUTH", "true");
        if (!storageUrl.isEmpty()) {
            env.put("PRESENCE_STORAGE_URL", storageUrl);
            env.put("PRESENCE_STORAGE_USER", "root");
        }
        return env;
    }

    static PresenceConfig ephemeral(Path dataDir) throws Exception {
        return PresenceConfig.load(null, ephemeralEnv(dataDir));
    }

    /** An appliance started in this JVM whose start output goes nowhere (the tests read what they need from it). */
    static Appliance startedQuietly(PresenceConfig config) throws Exception {
        Appliance a = new Appliance(config, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        a.start();
        return a;
    }

    /** A scenario that takes the storage URL: empty for the embedded H2. */
    @FunctionalInterface
    interface OnDatabase {
        void run(String storageUrl) throws Exception;
    }

    /**
     * Runs {@code scenario} on the database {@code kind} names: {@code h2} (embedded, URL empty) or {@code mariadb}
     * (a fresh schema on the test server, dropped after; skipped when unreachable unless PRESENCE_E2E=required).
     */
    static void onDatabase(String kind, OnDatabase scenario) throws Exception {
        if (kind.equals("h2")) {
            scenario.run("");
            return;
        }
        try (MariaDbSchema schema = MariaDbSchema.create()) {
            scenario.run(schema.url());
        }
    }
}
