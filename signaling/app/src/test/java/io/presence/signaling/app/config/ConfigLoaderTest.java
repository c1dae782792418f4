package io.presence.signaling.app.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigLoaderTest {

    @TempDir
    Path dir;

    private Path yaml(String text) throws IOException {
        Path file = dir.resolve("presence.yaml");
        Files.writeString(file, text);
        return file;
    }

    private static String rejected(Path file, Map<String, String> env) {
        ConfigException e = assertThrows(ConfigException.class, () -> PresenceConfig.load(file, env));
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e.getMessage();
    }

    @Test
    void defaultsNeedNoFileAndNoEnvironment() {
        PresenceConfig c = PresenceConfig.defaults();
        assertEquals(3478, c.stun().bind().getPort());
        assertEquals("0.0.0.0", c.signaling().host());
        assertEquals("127.0.0.1", c.metrics().bind().getHostString());
        assertEquals(9464, c.metrics().bind().getPort());
        assertEquals(Duration.ofSeconds(10), c.server().shutdownGrace());
        assertTrue(c.turn().secrets().isEmpty(), "no secret configured: the appliance generates one");
    }

    @Test
    void fileOverridesDefaultsAndEnvironmentOverridesFile() throws Exception {
        Path file = yaml("""
                turn:
                  realm: example.org
                server:
                  shutdownGrace: 2s
                metrics:
                  port: 9999
                """);
        PresenceConfig c = PresenceConfig.load(file, Map.of("PRESENCE_METRICS_PORT", "9100",
                "PRESENCE_SERVER_SHUTDOWN_GRACE", "1500ms"));
        assertEquals("example.org", c.turn().realm());
        assertEquals(9100, c.metrics().bind().getPort());
        assertEquals(Duration.ofMillis(1500), c.server().shutdownGrace());
        assertEquals("PRESENCE_METRICS_PORT", c.values().source(ConfigSchema.METRICS_PORT));
        assertEquals("config file", c.values().source(ConfigSchema.TURN_REALM));
    }

    @Test
    void peerSocketsReachTheRelaySettingsAndZeroTurnsThemOff() throws Exception {
        assertEquals(4096, ModuleSettings.turn(PresenceConfig.load(null, Map.of()), List.of("s")).peerSockets());
        assertEquals(0, ModuleSettings.turn(PresenceConfig.load(null, Map.of("PRESENCE_TURN_PEER_SOCKETS", "0")),
                List.of("s")).peerSockets());
        assertTrue(rejected(null, Map.of("PRESENCE_TURN_PEER_SOCKETS", "-1")).contains("turn.peerSockets"));
    }

    @Test
    void environmentNamesDeriveMechanicallyFromPaths() {
        assertEquals("PRESENCE_TURN_REALM", ConfigSchema.TURN_REALM.envName());
        assertEquals("PRESENCE_SIGNALING_WS_PORT", ConfigSchema.SIGNALING_WS_PORT.envName());
        assertEquals("PRESENCE_TURN_SECRETS_FILE", ConfigKey.envName(ConfigSchema.TURN_SECRETS.filePath()));
    }

    @Test
    void listsComeFromSequencesOrCommaSeparatedEnvironment() throws Exception {
        PresenceConfig c = PresenceConfig.load(yaml("logging:\n  levels: [io.netty=debug, io.presence=trace]\n"),
                Map.of());
        assertEquals(List.of("io.netty=debug", "io.presence=trace"), c.logging().levels());
        c = PresenceConfig.load(null, Map.of("PRESENCE_LOGGING_LEVELS", "io.netty=warn, a.b=info"));
        assertEquals(List.of("io.netty=warn", "a.b=info"), c.logging().levels());
    }

    @Test
    void unknownKeyIsRejectedWithTheSectionsKeys() throws Exception {
        String line = rejected(yaml("turn:\n  relm: x\n"), Map.of());
        assertTrue(line.startsWith("invalid configuration: turn.relm: unknown key (allowed: keys of turn: "), line);
        assertTrue(line.contains(" realm, ") && line.contains(" secrets, secretsFile, "), line);
    }

    @Test
    void crossKeyRulesAreConfigErrorsToo() {
        assertEquals("invalid configuration: turn.relayPortMin = 30000: greater than turn.relayPortMax (20000) "
                        + "(allowed: at most turn.relayPortMax)",
                rejected(null, Map.of("PRESENCE_TURN_RELAY_PORT_MIN", "30000", "PRESENCE_TURN_RELAY_PORT_MAX", "20000")));
        String line = rejected(null, Map.of("PRESENCE_STUN_TLS_CERTIFICATE", dir.resolve("absent.pem").toString()));
        assertTrue(line.startsWith("invalid configuration: stun.tlsCertificate = "), line);
        line = rejected(null, Map.of("PRESENCE_SIGNALING_TCP_TLS", "true"));
        assertTrue(line.startsWith("invalid configuration: signaling.tcpTls = true: needs signaling.tlsCertificate"),
                line);
        line = rejected(null, Map.of("PRESENCE_TURN_ALLOW_PEERS", "10.0.0.0/33"));
        assertTrue(line.startsWith("invalid configuration: turn.allowPeers"), line);
        line = rejected(null, Map.of("PRESENCE_TURN_RELAY_IPV4", "::1"));
        assertTrue(line.startsWith("invalid configuration: turn.relayIpv4 = \"::1\""), line);
    }

    @Test
    void unknownSectionIsRejected() throws Exception {
        String line = rejected(yaml("tunr:\n  realm: x\n"), Map.of());
        assertTrue(line.startsWith("invalid configuration: tunr: unknown key (allowed: sections "), line);
    }

    @Test
    void portOutOfRangeNamesKeyValueAndRange() throws Exception {
        assertEquals("invalid configuration: stun.port = \"70000\": out of range (allowed: 0..65535)",
                rejected(yaml("stun:\n  port: 70000\n"), Map.of()));
    }

    @Test
    void wrongTypeFromEnvironmentIsRejected() {
        assertEquals("invalid configuration: signaling.wsPort = \"eighty\": not an integer (allowed: 0..65535)",
                rejected(null, Map.of("PRESENCE_SIGNALING_WS_PORT", "eighty")));
    }

    @Test
    void durationsNeedAUnitAndStayInBounds() throws Exception {
        assertEquals("invalid configuration: server.shutdownGrace = \"30\": not a duration (write a number and "
                        + "a unit: ms, s, m, h or d) (allowed: 0s..10m)",
                rejected(yaml("server:\n  shutdownGrace: 30\n"), Map.of()));
        assertEquals("invalid configuration: server.shutdownGrace = \"1h\": out of range (allowed: 0s..10m)",
                rejected(yaml("server:\n  shutdownGrace: 1h\n"), Map.of()));
    }

    @Test
    void enumValuesAreListed() {
        assertEquals("invalid configuration: logging.level = \"verbose\": unknown value "
                        + "(allowed: error, warn, info, debug, trace)",
                rejected(null, Map.of("PRESENCE_LOGGING_LEVEL", "verbose")));
    }

    @Test
    void valueWhereASectionBelongsIsRejected() throws Exception {
        String line = rejected(yaml("turn: 5\n"), Map.of());
        assertTrue(line.startsWith("invalid configuration: turn: is a section, not a value"), line);
        line = rejected(yaml("turn:\n  realm:\n    x: 1\n"), Map.of());
        assertTrue(line.startsWith("invalid configuration: turn.realm: is a value, not a section"), line);
    }

    @Test
    void brokenYamlNamesTheLine() throws Exception {
        String line = rejected(yaml("turn:\n  realm: [unclosed\n"), Map.of());
        assertTrue(line.contains("not valid YAML at line"), line);
    }

    @Test
    void missingConfigFileIsReported() {
        String line = rejected(dir.resolve("nope.yaml"), Map.of());
        assertTrue(line.contains("file does not exist"), line);
    }

    @Test
    void secretsFromValueEnvOrFileAndNeverShown() throws Exception {
        Path secretFile = dir.resolve("turn-secrets");
        Files.writeString(secretFile, "first-secret-value-7Hq2xK\nsecond-secret-value-9Lm4pZ\n");
        PresenceConfig c = PresenceConfig.load(null, Map.of("PRESENCE_TURN_SECRETS_FILE", secretFile.toString()));
        assertEquals(2, c.turn().secrets().size());
        assertEquals("first-secret-value-7Hq2xK", c.turn().secrets().get(0).reveal());
        assertFalse(c.turn().secrets().toString().contains("secret-value"));
        assertFalse(String.join("\n", c.values().describe()).contains("secret-value"));

        c = PresenceConfig.load(null, Map.of("PRESENCE_TURN_SECRETS", "envsecret1-4f9c2b7a8e1d,envsecret2-0a6d3e5b9c7f"));
        assertEquals("envsecret2-0a6d3e5b9c7f", c.turn().secrets().get(1).reveal());
    }

    @Test
    void secretGivenTwiceIsRejectedWithoutShowingIt() throws Exception {
        Path secretFile = dir.resolve("pw");
        Files.writeString(secretFile, "file-password\n");
        String line = rejected(yaml("turn:\n  secrets: [yaml-password]\n  secretsFile: " + secretFile + "\n"),
                Map.of());
        assertTrue(line.startsWith("invalid configuration: turn.secrets: set both as a value"), line);
        assertFalse(line.contains("password]") || line.contains("yaml-password") || line.contains("file-password"));
    }

    @Test
    void invalidSecretValueIsNotEchoed() {
        String line = rejected(null, Map.of("PRESENCE_LIVE_EXTERNAL_TURN_SECRET", "a,b"));
        assertTrue(line.contains("<secret from PRESENCE_LIVE_EXTERNAL_TURN_SECRET>"), line);
        assertTrue(line.contains("more than 1 items"), line);
    }

    @Test
    void missingSecretFileIsReported() {
        String line = rejected(null, Map.of("PRESENCE_TURN_SECRETS_FILE", dir.resolve("absent").toString()));
        assertTrue(line.startsWith("invalid configuration: turn.secretsFile = "), line);
        assertTrue(line.contains("file does not exist"), line);
    }

    @Test
    void unrelatedPrefixedEnvironmentIsReportedButNotFatal() throws Exception {
        ConfigValues v = new ConfigLoader().load(null, Map.of("PRESENCE_SERVICE_HOST", "10.0.0.1",
                "PRESENCE_E2E", "required", "PRESENCE_TURN_REALM", "r"));
        assertEquals(List.of("PRESENCE_SERVICE_HOST"), v.ignoredEnvironment());
    }

    @Test
    void badLoggerLevelIsRejected() {
        String line = rejected(null, Map.of("PRESENCE_LOGGING_LEVELS", "io.netty=loud"));
        assertTrue(line.startsWith("invalid configuration: logging.levels = \"io.netty=loud\": item 1"), line);
    }

    @Test
    void listenersTurnOffOneByOneButNotAllAtOnce() throws Exception {
        assertEquals(-1, ModuleSettings.signaling(PresenceConfig.load(null,
                Map.of("PRESENCE_SIGNALING_WS_ENABLED", "false"))).wsPort(), "not bound");
        assertEquals(-1, ModuleSettings.signaling(PresenceConfig.load(null,
                Map.of("PRESENCE_SIGNALING_TCP_ENABLED", "false"))).tcpPort());
        assertEquals(8082, ModuleSettings.signaling(PresenceConfig.defaults()).tcpPort());
        String line = rejected(null, Map.of("PRESENCE_SIGNALING_WS_ENABLED", "false",
                "PRESENCE_SIGNALING_TCP_ENABLED", "false"));
        assertTrue(line.startsWith("invalid configuration: signaling.wsEnabled = false: every signaling listener"),
                line);
    }
}
