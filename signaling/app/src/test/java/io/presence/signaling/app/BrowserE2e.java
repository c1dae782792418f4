package io.presence.signaling.app;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * What the browser tests share: the tools they drive (Chromium, Node and the Playwright package of
 * {@link #NODE_PROJECT}), and an appliance whose calls stay on loopback.
 */
final class BrowserE2e {
    /** The Node project holding the browser scripts and playwright-core (installed by {@code npm ci}). */
    static final Path NODE_PROJECT = Path.of("src", "test", "node");
    /** Relay ports outside the kernel's ephemeral range, so the browsers' own sockets never take one. */
    static final int RELAY_MIN = 20000;
    static final int RELAY_MAX = 20999;

    private BrowserE2e() {
    }

    /**
     * Chromium, Node and playwright-core, or the test is skipped — unless {@code PRESENCE_E2E} is
     * {@code required}, when a missing one fails it. Returns the node executable.
     */
    static Path requireTools() {
        ExternalTools.require("chromium");
        Path node = ExternalTools.require("node");
        if (!Files.isDirectory(NODE_PROJECT.resolve("node_modules").resolve("playwright-core"))) {
            String missing = "playwright-core is not installed: npm ci --prefix signaling/app/src/test/node";
            if ("required".equals(System.getenv("PRESENCE_E2E"))) {
                throw new AssertionError(missing);
            }
            Assumptions.abort(missing);
        }
        return node;
    }

    /**
     * An ephemeral appliance in {@code data} whose browsers reach it and its relay on 127.0.0.1; both browsers'
     * relay addresses are on loopback, which the default peer deny-list covers, so loopback peers are allowed.
     */
    static Map<String, String> loopbackCallEnv(Path data) {
        Map<String, String> env = TestConfigs.ephemeralEnv(data);
        env.put("PRESENCE_SERVER_PUBLIC_HOST", "127.0.0.1");
        env.put("PRESENCE_TURN_RELAY_IPV4", "127.0.0.1");
        env.put("PRESENCE_TURN_RELAY_PORT_MIN", String.valueOf(RELAY_MIN));
        env.put("PRESENCE_TURN_RELAY_PORT_MAX", String.valueOf(RELAY_MAX));
        env.put("PRESENCE_TURN_ALLOW_PEERS", "127.0.0.0/8");
        return env;
    }
}
