package io.presence.signaling.app.config;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The live.* keys: defaults, external relay mode (URLs and secret together), and the ICE host fallback. */
class LiveConfigTest {

    private static String rejected(Map<String, String> env) {
        ConfigException e = assertThrows(ConfigException.class, () -> PresenceConfig.load(null, env));
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e.getMessage();
    }

    @Test
    void defaults() throws Exception {
        PresenceConfig c = PresenceConfig.defaults();
        assertEquals(Duration.ofMinutes(10), c.values().get(ConfigSchema.LIVE_CREDENTIAL_TTL));
        assertEquals(8, c.values().get(ConfigSchema.LIVE_MESH_CAP));
        assertFalse(c.values().get(ConfigSchema.LIVE_RELAY_ONLY_DEFAULT));
        assertTrue(ModuleSettings.liveExternal(c).isEmpty());
        assertEquals("127.0.0.1", PublicHost.choose(c, HostAddresses.of(List.of())).host(),
                "no public host, stun.host 0.0.0.0, no interface but loopback");
    }

    @Test
    void iceHostIsThePublicHostElseASpecificStunHost() throws Exception {
        assertEquals("turn.example.org", ModuleSettings.iceHost(PresenceConfig.load(null,
                Map.of("PRESENCE_SERVER_PUBLIC_HOST", "turn.example.org"))));
        assertEquals("192.0.2.7", ModuleSettings.iceHost(PresenceConfig.load(null,
                Map.of("PRESENCE_STUN_HOST", "192.0.2.7"))));
    }

    @Test
    void externalRelayNeedsUrlsAndSecretTogether() throws Exception {
        PresenceConfig c = PresenceConfig.load(null, Map.of(
                "PRESENCE_LIVE_EXTERNAL_TURN_URLS", "turn:coturn.example.org:3478?transport=udp, stun:coturn.example.org",
                "PRESENCE_LIVE_EXTERNAL_TURN_SECRET", "s3cret-of-the-coturn-4e7b9a"));
        ModuleSettings.ExternalRelay external = ModuleSettings.liveExternal(c).orElseThrow();
        assertEquals(List.of("turn:coturn.example.org:3478?transport=udp", "stun:coturn.example.org"),
                external.iceServers().urls());
        assertEquals("s3cret-of-the-coturn-4e7b9a", external.secret().reveal());

        assertTrue(rejected(Map.of("PRESENCE_LIVE_EXTERNAL_TURN_URLS", "turn:coturn.example.org"))
                .contains("live.externalTurnSecret"));
        assertTrue(rejected(Map.of("PRESENCE_LIVE_EXTERNAL_TURN_SECRET", "s3cret-of-the-coturn-4e7b9a"))
                .contains("live.externalTurnUrls"));
        assertTrue(rejected(Map.of("PRESENCE_LIVE_EXTERNAL_TURN_URLS", "http://coturn.example.org",
                "PRESENCE_LIVE_EXTERNAL_TURN_SECRET", "s3cret-of-the-coturn-4e7b9a")).contains("live.externalTurnUrls"));
        assertTrue(rejected(Map.of("PRESENCE_LIVE_MESH_CAP", "1")).contains("live.meshCap"));
    }
}
