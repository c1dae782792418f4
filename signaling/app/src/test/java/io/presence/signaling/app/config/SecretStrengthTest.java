package io.presence.signaling.app.config;

import io.presence.signaling.app.DataDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** TURN secrets under 128 bits are refused unless the setup says it is a test; random ones of the usual forms pass. */
class SecretStrengthTest {

    private static final SecureRandom RANDOM = new SecureRandom();

    @Test
    void theRuleSitsAtTheDocumentedLengths() {
        assertTrue(SecretStrength.weakness(digits(38)).isPresent(), "38 digits");
        assertFalse(SecretStrength.weakness(digits(39)).isPresent(), "39 digits");
        assertTrue(SecretStrength.weakness(HexFormat.of().formatHex(bytes(16)).substring(1)).isPresent(), "31 hex");
        assertFalse(SecretStrength.weakness(HexFormat.of().formatHex(bytes(16))).isPresent(), "32 hex");
        String base64 = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes(16)); // 22 characters
        assertFalse(SecretStrength.weakness(base64).isPresent(), base64);
        assertTrue(SecretStrength.weakness(base64.substring(1)).isPresent(), "21 base64 characters");
        assertFalse(SecretStrength.weakness("Tr0ub4dor&3!horse#st").isPresent(), "20 characters of mixed text");
        assertTrue(SecretStrength.weakness("Tr0ub4dor&3!horse#s").isPresent(), "19 characters of mixed text");
    }

    @Test
    void longButRepetitiveSecretsAreWeak() {
        assertEquals("fewer than 5 different characters", SecretStrength.weakness("a".repeat(64)).orElseThrow());
        assertTrue(SecretStrength.weakness("abab".repeat(16)).isPresent());
        assertTrue(SecretStrength.weakness("1212".repeat(16)).isPresent());
        assertTrue(SecretStrength.weakness("").isPresent());
    }

    @Test
    void generatedAndOpensslStyleSecretsPass(@TempDir Path dir) throws Exception {
        for (int i = 0; i < 100; i++) {
            String generated = DataDirectory.open(dir.resolve("d" + i)).secret("turn-secret").reveal();
            assertFalse(SecretStrength.weakness(generated).isPresent(), "a generated secret");
            assertFalse(SecretStrength.weakness(Base64.getEncoder().encodeToString(bytes(32))).isPresent(),
                    "openssl rand -base64 32");
            assertFalse(SecretStrength.weakness(HexFormat.of().formatHex(bytes(16))).isPresent(), "openssl rand -hex 16");
        }
    }

    @Test
    void weakTurnAndCoturnSecretsAreRefusedNamingTheKeyAndTheFlag() throws Exception {
        ConfigException e = assertThrows(ConfigException.class, () -> PresenceConfig.load(null,
                Map.of("PRESENCE_TURN_SECRETS", Base64.getEncoder().encodeToString(bytes(32)) + ",password1")));
        assertEquals("turn.secrets", e.key());
        assertTrue(e.getMessage().startsWith("invalid configuration: turn.secrets = <secret from "
                + "PRESENCE_TURN_SECRETS>: item 2 is weak: about 54 bits"), e.getMessage());
        assertTrue(e.getMessage().endsWith("; or turn.allowWeakSecrets: true for a test setup)"), e.getMessage());
        assertFalse(e.getMessage().contains("password1"));

        e = assertThrows(ConfigException.class, () -> PresenceConfig.load(null, Map.of(
                "PRESENCE_LIVE_EXTERNAL_TURN_URLS", "turn:coturn.example.org", "PRESENCE_LIVE_EXTERNAL_TURN_SECRET",
                "coturn")));
        assertEquals("live.externalTurnSecret", e.key());

        PresenceConfig allowed = PresenceConfig.load(null, Map.of("PRESENCE_TURN_SECRETS", "password1",
                "PRESENCE_TURN_ALLOW_WEAK_SECRETS", "true"));
        assertEquals(List.of("password1"), allowed.turn().secrets().stream().map(Secret::reveal).toList());
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    private static String digits(int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append((char) ('0' + RANDOM.nextInt(10)));
        }
        return b.toString();
    }
}
