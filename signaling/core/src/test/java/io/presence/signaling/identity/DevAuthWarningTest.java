package io.presence.signaling.identity;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The development provider's start warning is loud exactly when a listener is reachable from elsewhere. */
class DevAuthWarningTest {

    @Test
    void loopbackAddressesAreRecognisedByTheirText() {
        for (String host : new String[]{"127.0.0.1", "127.1.2.3", "localhost", "::1", "[::1]",
                "0:0:0:0:0:0:0:1"}) {
            assertTrue(DevAuthWarning.isLoopback(host), host);
        }
        for (String host : new String[]{"0.0.0.0", "::", "[::]", "192.168.1.10", "presence.example.org",
                "128.0.0.1"}) {
            assertFalse(DevAuthWarning.isLoopback(host), host);
        }
    }

    @Test
    void theLineIsLoudAndNamesTheExposedAddressesOnly() {
        String quiet = DevAuthWarning.line("127.0.0.1", "::1");
        assertTrue(quiet.startsWith("development authentication (signaling.devAuth) is enabled"), quiet);
        String loud = DevAuthWarning.line("127.0.0.1", "0.0.0.0");
        assertTrue(loud.startsWith("DEVELOPMENT AUTHENTICATION IS ENABLED ON A NON-LOOPBACK ADDRESS (signaling.host "
                + "0.0.0.0)"), loud);
        assertTrue(loud.contains("Set signaling.devAuth: false"), loud);
    }
}
