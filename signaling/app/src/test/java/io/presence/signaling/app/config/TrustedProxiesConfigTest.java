package io.presence.signaling.app.config;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** server.trustedProxies: empty by default, read from the environment, and a bad block refused naming the key. */
class TrustedProxiesConfigTest {

    @Test
    void emptyByDefault() throws Exception {
        assertTrue(SignInConfig.trustedProxies(PresenceConfig.defaults()).isEmpty());
    }

    @Test
    void listedBlocksAreTrusted() throws Exception {
        var proxies = SignInConfig.trustedProxies(PresenceConfig.load(null,
                Map.of("PRESENCE_SERVER_TRUSTED_PROXIES", "10.0.0.0/8, ::1")));
        assertTrue(proxies.isTrusted(InetAddress.getByName("10.20.30.40")));
        assertTrue(proxies.isTrusted(InetAddress.getByName("::1")));
        assertFalse(proxies.isTrusted(InetAddress.getByName("192.0.2.1")));
    }

    @Test
    void aBadBlockIsRefused() {
        ConfigException e = assertThrows(ConfigException.class, () -> PresenceConfig.load(null,
                Map.of("PRESENCE_SERVER_TRUSTED_PROXIES", "10.0.0.0/40")));
        assertEquals("server.trustedProxies", e.key());
    }
}
