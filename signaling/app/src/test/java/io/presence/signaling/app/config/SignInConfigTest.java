package io.presence.signaling.app.config;

import io.presence.signaling.session.SignInThrottle;
import io.presence.signaling.signin.JwtSettings;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The auth section: its defaults are the modules' defaults, and inconsistent values are refused with one line. */
class SignInConfigTest {

    @Test
    void defaultsAreTheModulesDefaults() throws Exception {
        PresenceConfig config = PresenceConfig.defaults();
        assertEquals(JwtSettings.DEFAULT, SignInConfig.jwt(config));
        assertEquals(SignInThrottle.Settings.DEFAULT, SignInConfig.throttle(config));
        assertTrue(SignInConfig.jwtEnabled(config));
        assertEquals(Optional.empty(), SignInConfig.publicKeyFile(config));
        assertEquals(Optional.empty(), SignInConfig.jwksFile(config));
        assertTrue(SignInConfig.tokenKeys(config).isEmpty());
    }

    @Test
    void nestedKeysLoadFromYamlAndFromTheEnvironment() throws Exception {
        PresenceConfig config = PresenceConfig.load(null, Map.of("PRESENCE_AUTH_JWT_MAX_TTL", "2h",
                "PRESENCE_AUTH_JWT_ISSUER", "presence.example.org", "PRESENCE_AUTH_THROTTLE_DELAY_AFTER", "3"));
        assertEquals(java.time.Duration.ofHours(2), SignInConfig.jwt(config).maxTtl());
        assertEquals("presence.example.org", SignInConfig.jwt(config).issuer());
        assertEquals(3, SignInConfig.throttle(config).delayAfter());
    }

    @Test
    void inconsistentValuesAreRefusedAndTheMessageNamesTheKey() {
        ConfigException refuse = assertThrows(ConfigException.class, () -> PresenceConfig.load(null,
                Map.of("PRESENCE_AUTH_THROTTLE_DELAY_AFTER", "10", "PRESENCE_AUTH_THROTTLE_REFUSE_AFTER", "5")));
        assertEquals("auth.throttle.refuseAfter", refuse.key());
        ConfigException wait = assertThrows(ConfigException.class, () -> PresenceConfig.load(null,
                Map.of("PRESENCE_AUTH_THROTTLE_MAX_DELAY", "10s")));
        assertTrue(wait.getMessage().contains("signaling.helloTimeout"), wait.getMessage());
    }

    @Test
    void aShortTokenKeyIsRefusedWithoutShowingIt() {
        ConfigException e = assertThrows(ConfigException.class, () -> PresenceConfig.load(null,
                Map.of("PRESENCE_SIGNALING_TOKEN_KEYS", "short-secret-value")));
        assertEquals("signaling.tokenKeys", e.key());
        assertFalse(e.getMessage().contains("short-secret-value"), e.getMessage());
    }

    @Test
    void aTtlOnTheCommandLineReadsLikeTheConfiguration() throws Exception {
        assertEquals(java.time.Duration.ofMinutes(90), SignInConfig.duration("90m"));
        assertThrows(ConfigException.class, () -> SignInConfig.duration("soon"));
        assertEquals(Path.of("x.pem"), SignInConfig.publicKeyFile(PresenceConfig.load(null,
                Map.of("PRESENCE_AUTH_JWT_PUBLIC_KEY_FILE", "x.pem"))).orElseThrow());
    }
}
