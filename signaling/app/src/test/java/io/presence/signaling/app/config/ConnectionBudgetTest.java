package io.presence.signaling.app.config;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConnectionBudgetTest {
    private static ConfigValues values(Map<String, String> env) throws ConfigException {
        return new ConfigLoader().load(null, env);
    }

    @Test
    void defaultCapsShareTheDescriptorsLeftAfterTheReserve() throws Exception {
        ConnectionBudget b = ConnectionBudget.of(values(Map.of()), OptionalLong.of(20_000), 100);
        long available = 20_000 - 100 - 4096 - 64;
        assertEquals(available / 4, b.stun().maxConnections());
        assertEquals(available * 3 / 4, b.signaling().maxConnections());
        assertTrue(b.stun().maxConnections() + b.signaling().maxConnections() + 4096 + 64 + 100 <= 20_000);
        assertEquals(256, b.stun().maxPerSource());
        assertNull(b.warning());
    }

    @Test
    void configuredCapsThatDoNotFitAreLoweredWithAWarning() throws Exception {
        ConnectionBudget b = ConnectionBudget.of(values(Map.of("PRESENCE_STUN_MAX_CONNECTIONS", "20000",
                "PRESENCE_SIGNALING_MAX_CONNECTIONS", "20000")), OptionalLong.of(20_000), 100);
        assertTrue(b.stun().maxConnections() + b.signaling().maxConnections() <= 20_000 - 100 - 4096 - 64);
        assertNotNull(b.warning());
        assertTrue(b.warning().contains("stun.maxConnections " + b.stun().maxConnections()), b.warning());
    }

    @Test
    void configuredCapsThatFitAreKept() throws Exception {
        ConnectionBudget b = ConnectionBudget.of(values(Map.of("PRESENCE_STUN_MAX_CONNECTIONS", "100",
                "PRESENCE_SIGNALING_MAX_CONNECTIONS_PER_IP", "9")), OptionalLong.of(20_000), 100);
        assertEquals(100, b.stun().maxConnections());
        assertEquals(20_000 - 100 - 4096 - 64 - 100, b.signaling().maxConnections());
        assertEquals(9, b.signaling().maxPerSource());
        assertNull(b.warning());
    }

    @Test
    void aTinyLimitStillLeavesEachListenerSomethingAndSaysSo() throws Exception {
        ConnectionBudget b = ConnectionBudget.of(values(Map.of()), OptionalLong.of(1024), 100);
        assertEquals(16, b.stun().maxConnections());
        assertEquals(16, b.signaling().maxConnections());
        assertNotNull(b.warning());
    }
}
