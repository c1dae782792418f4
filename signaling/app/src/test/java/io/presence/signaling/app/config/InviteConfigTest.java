package io.presence.signaling.app.config;

import io.presence.signaling.invite.InviteSettings;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The invites and guest keys: the core's defaults, the environment, and a default beyond the maximum refused. */
class InviteConfigTest {

    @Test
    void defaultsAreTheCoresDefaults() throws Exception {
        PresenceConfig config = PresenceConfig.defaults();
        assertEquals(InviteSettings.DEFAULT, InviteConfig.invites(config));
        assertTrue(InviteConfig.guestsEnabled(config));
    }

    @Test
    void keysLoadFromTheEnvironmentAndThePublicHostMakesLinksAbsolute() throws Exception {
        PresenceConfig config = PresenceConfig.load(null, Map.of("PRESENCE_INVITES_DEFAULT_TTL", "2h",
                "PRESENCE_INVITES_MAX_TTL", "7d", "PRESENCE_AUTH_GUEST_ENABLED", "false",
                "PRESENCE_SERVER_PUBLIC_HOST", "presence.example.org"));
        InviteSettings invites = InviteConfig.invites(config);
        assertEquals(Duration.ofHours(2), invites.defaultTtl());
        assertEquals(Duration.ofDays(7), invites.maxTtl());
        assertEquals("https://presence.example.org/join/t", invites.url("t"));
        assertFalse(InviteConfig.guestsEnabled(config));
    }

    @Test
    void aDefaultAboveTheMaximumOrTooShortAStopsTheStartNamingTheKey() {
        ConfigException above = assertThrows(ConfigException.class, () -> PresenceConfig.load(null,
                Map.of("PRESENCE_INVITES_DEFAULT_TTL", "10d", "PRESENCE_INVITES_MAX_TTL", "2d")));
        assertEquals("invites.defaultTtl", above.key());
        assertTrue(above.getMessage().contains("invites.maxTtl"), above.getMessage());
        ConfigException shortMax = assertThrows(ConfigException.class, () -> PresenceConfig.load(null,
                Map.of("PRESENCE_INVITES_MAX_TTL", "30s")));
        assertEquals("invites.maxTtl", shortMax.key());
    }
}
