package io.presence.signaling.app.config;

import io.presence.signaling.friend.FriendSettings;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** auth.friend: off by default, refused without a URL or with plain http to another machine; the sign-in warnings. */
class FriendSignInConfigTest {

    @Test
    void offByDefault() throws Exception {
        assertEquals(Optional.empty(), SignInConfig.friend(PresenceConfig.defaults()));
    }

    @Test
    void enabledReadsEveryKey() throws Exception {
        PresenceConfig config = PresenceConfig.load(null, Map.of("PRESENCE_AUTH_FRIEND_ENABLED", "true",
                "PRESENCE_AUTH_FRIEND_URL", "https://friend.example.org", "PRESENCE_AUTH_FRIEND_TIMEOUT", "2s",
                "PRESENCE_AUTH_FRIEND_CACHE_TTL", "30s", "PRESENCE_AUTH_FRIEND_CACHE_SIZE", "50",
                "PRESENCE_AUTH_FRIEND_CA_FILE", "/etc/presence/friend-ca.pem"));
        FriendSettings f = SignInConfig.friend(config).orElseThrow();
        assertEquals(URI.create("https://friend.example.org"), f.url());
        assertEquals(Duration.ofSeconds(2), f.timeout());
        assertEquals(Duration.ofSeconds(30), f.cacheTtl());
        assertEquals(50, f.cacheSize());
        assertEquals("/etc/presence/friend-ca.pem", f.caFile().toString());
    }

    @Test
    void enabledWithoutUrlIsRefused() {
        ConfigException e = assertThrows(ConfigException.class, () -> PresenceConfig.load(null,
                Map.of("PRESENCE_AUTH_FRIEND_ENABLED", "true")));
        assertEquals("auth.friend.url", e.key());
    }

    @Test
    void plainHttpIsRefusedUnlessTowardsLoopback() throws Exception {
        ConfigException e = assertThrows(ConfigException.class, () -> PresenceConfig.load(null,
                Map.of("PRESENCE_AUTH_FRIEND_ENABLED", "true", "PRESENCE_AUTH_FRIEND_URL", "http://friend.example.org")));
        assertEquals("auth.friend.url", e.key());
        PresenceConfig local = PresenceConfig.load(null, Map.of("PRESENCE_AUTH_FRIEND_ENABLED", "true",
                "PRESENCE_AUTH_FRIEND_URL", "http://127.0.0.1:6502"));
        assertTrue(SignInWarnings.lines(local).stream().anyMatch(l -> l.contains("plain http")));
    }

    @Test
    void noProviderAtAllMeansNobodyCanSignIn() throws Exception {
        List<String> none = SignInWarnings.lines(PresenceConfig.load(null, Map.of("PRESENCE_AUTH_JWT_ENABLED",
                "false")));
        assertTrue(none.stream().anyMatch(l -> l.contains("nobody can sign in")), none.toString());
        assertEquals(List.of(), SignInWarnings.lines(PresenceConfig.defaults()));
    }

    @Test
    void devAloneIsNamedAndItsLoudWarningStays() throws Exception {
        List<String> dev = SignInWarnings.lines(PresenceConfig.load(null, Map.of("PRESENCE_AUTH_JWT_ENABLED", "false",
                "PRESENCE_SIGNALING_DEV_AUTH", "true", "PRESENCE_SIGNALING_HOST", "0.0.0.0")));
        assertTrue(dev.stream().anyMatch(l -> l.contains("only sign-in provider")), dev.toString());
        assertTrue(dev.stream().anyMatch(l -> l.startsWith("DEVELOPMENT AUTHENTICATION")), dev.toString());
    }
}
