package io.presence.signaling.app;

import io.presence.signaling.app.config.ConfigSchema;
import io.presence.signaling.app.config.PresenceConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * signaling/packaging/systemd: the unit's hardening and limits, read as systemd reads the file, and its variables
 * against the configuration schema. {@code systemd-analyze verify} checks it too where it is installed.
 */
class SystemdUnitTest {

    static final Path DIR = Path.of("..", "packaging", "systemd");
    static final Path UNIT = DIR.resolve("presence.service");
    static final Path ENV_EXAMPLE = DIR.resolve("presence.env.example");

    @TempDir
    Path tmp;

    /** Section → key → values in order (a key may repeat); comments and blank lines left out. */
    static Map<String, Map<String, List<String>>> parse(Path unit) throws Exception {
        Map<String, Map<String, List<String>>> sections = new LinkedHashMap<>();
        Map<String, List<String>> current = null;
        for (String line : Files.readAllLines(unit)) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#") || l.startsWith(";")) {
                continue;
            }
            if (l.startsWith("[")) {
                current = sections.computeIfAbsent(l.substring(1, l.indexOf(']')), s -> new LinkedHashMap<>());
                continue;
            }
            assertTrue(current != null && l.contains("=") && !l.endsWith("\\"), "a directive in a section: " + l);
            int eq = l.indexOf('=');
            current.computeIfAbsent(l.substring(0, eq).strip(), k -> new ArrayList<>()).add(l.substring(eq + 1).strip());
        }
        return sections;
    }

    private static String one(Map<String, List<String>> section, String key) {
        List<String> values = section.get(key);
        assertTrue(values != null && values.size() == 1, key + " set once: " + values);
        return values.get(0);
    }

    /** The Environment= assignments of the unit, then the example environment file's (which systemd lets win). */
    private static Map<String, String> environment(Map<String, List<String>> service) throws Exception {
        Map<String, String> env = new LinkedHashMap<>();
        for (String assignment : service.getOrDefault("Environment", List.of())) {
            int eq = assignment.indexOf('=');
            env.put(assignment.substring(0, eq), assignment.substring(eq + 1));
        }
        for (String line : Files.readAllLines(ENV_EXAMPLE)) {
            if (!line.isBlank() && !line.startsWith("#")) {
                int eq = line.indexOf('=');
                env.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return env;
    }

    @Test
    void hardenedRestartedAndWritingOnlyItsDataDirectory() throws Exception {
        Map<String, List<String>> service = parse(UNIT).get("Service");
        assertEquals("on-failure", one(service, "Restart"));
        assertEquals("yes", one(service, "NoNewPrivileges"));
        assertEquals("strict", one(service, "ProtectSystem"));
        assertEquals("yes", one(service, "ProtectHome"));
        assertEquals("yes", one(service, "PrivateTmp"));
        assertEquals("presence", one(service, "User"), "not root");
        Map<String, String> env = environment(service);
        String dataDir = env.get(ConfigSchema.SERVER_DATA_DIR.envName());
        assertEquals(dataDir, one(service, "ReadWritePaths"), "the data directory, and only it, is writable");
        assertEquals("/var/lib/" + one(service, "StateDirectory"), dataDir, "systemd creates it, owned by the user");
        assertTrue(one(service, "EnvironmentFile").startsWith("/etc/"), "secrets from a root-owned file");
        for (var key : ConfigSchema.ALL) {
            if (key.secret()) {
                assertTrue(service.getOrDefault("Environment", List.of()).stream()
                        .noneMatch(e -> e.startsWith(key.envName())), "secrets go in the EnvironmentFile: " + key.path());
                assertTrue(!env.containsKey(key.envName()), "the example holds no secret value: " + key.path());
            }
        }
    }

    @Test
    void noCapabilitiesAndTheCommentShowsTheOneForLowPorts() throws Exception {
        Map<String, List<String>> service = parse(UNIT).get("Service");
        assertEquals("", one(service, "CapabilityBoundingSet"));
        assertEquals("", one(service, "AmbientCapabilities"));
        String text = Files.readString(UNIT);
        assertTrue(text.contains("#   AmbientCapabilities=CAP_NET_BIND_SERVICE"), "how to allow a port below 1024");
        // Every default port is above 1023, so the default needs no capability.
        PresenceConfig defaults = PresenceConfig.defaults();
        for (var key : List.of(ConfigSchema.STUN_PORT, ConfigSchema.STUN_TLS_PORT, ConfigSchema.SIGNALING_WS_PORT,
                ConfigSchema.SIGNALING_TCP_PORT, ConfigSchema.SIGNALING_WSS_PORT, ConfigSchema.METRICS_PORT,
                ConfigSchema.TURN_RELAY_PORT_MIN)) {
            assertTrue(defaults.values().get(key) >= 1024, key.path());
        }
    }

    /** The descriptor limit holds the relay at its configured size, with room left for connections. */
    @Test
    void descriptorLimitFitsTheRelayAndStopTimeoutTheDrain() throws Exception {
        Map<String, List<String>> service = parse(UNIT).get("Service");
        Map<String, String> env = environment(service);
        env.remove("PRESENCE_CONFIG");
        env.remove("PRESENCE_JAVA_OPTS");
        env.put(ConfigSchema.SERVER_DATA_DIR.envName(), tmp.resolve("data").toString());
        PresenceConfig config = PresenceConfig.load(null, env);
        assertEquals(List.of(), config.values().ignoredEnvironment(), "every variable is a configuration key");

        long relay = config.values().get(ConfigSchema.SERVER_DESCRIPTOR_RESERVE)
                + config.values().get(ConfigSchema.TURN_MAX_ALLOCATIONS)
                + config.values().get(ConfigSchema.TURN_PEER_SOCKETS)
                + config.values().get(ConfigSchema.STUN_CLIENT_SOCKETS);
        long limit = Long.parseLong(one(service, "LimitNOFILE"));
        assertTrue(limit - relay >= 10_000, "LimitNOFILE " + limit + " leaves " + (limit - relay)
                + " descriptors for connections after the relay's " + relay);

        Duration grace = config.server().shutdownGrace();
        Duration stop = Duration.ofSeconds(Long.parseLong(one(service, "TimeoutStopSec").replace("s", "")));
        assertTrue(stop.compareTo(grace.plusSeconds(5)) >= 0 && stop.compareTo(grace.plusSeconds(30)) <= 0,
                "TimeoutStopSec " + stop + " just above server.shutdownGrace " + grace);
        assertEquals("SIGTERM", one(service, "KillSignal"), "the signal that starts the drain");
        String exec = one(service, "ExecStart");
        assertTrue(exec.startsWith("/usr/bin/java $PRESENCE_JAVA_OPTS ") && exec.endsWith(" serve"), exec);
    }

    @Test
    void everyPresenceVariableIsAConfigurationKey() throws Exception {
        assertEquals(Set.of(), DockerFilesTest.unknownVariables(List.of(UNIT, ENV_EXAMPLE)));
    }

    /** systemd's own reading of the unit, where systemd is installed: no warning at all. */
    @Test
    void systemdAnalyzeVerifiesItWithoutAWarning() throws Exception {
        Path analyze = null;
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, "systemd-analyze"))) {
                analyze = Path.of(dir, "systemd-analyze");
            }
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(analyze != null, "systemd-analyze is not installed");
        Path copy = Files.copy(UNIT, tmp.resolve("presence.service"));
        Process p = new ProcessBuilder(analyze.toString(), "verify", copy.toString()).redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "systemd-analyze verify did not finish");
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        // It exits 0 even for unknown keys and bad values: what it prints is the verdict.
        assertEquals("", output.strip(), "systemd-analyze verify");
        assertEquals(0, p.exitValue());
    }
}
