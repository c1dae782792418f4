package io.presence.signaling.app.config;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which host browsers are told to reach the appliance at, from the configuration and this machine's interfaces. */
class PublicHostTest {

    /**
     * Columns: server.publicHost, turn.externalIpv4, stun.host, turn.relayIpv4, the interfaces' addresses
     * (space-separated, in the system's order), then the host chosen, the rule and who can reach it.
     */
    @ParameterizedTest(name = "[{index}] publicHost={0} external={1} stun={2} relay={3} interfaces={4} -> {5}")
    @CsvSource(nullValues = "-", value = {
            // configured always wins, whatever else is known
            "turn.example.org, 203.0.113.1, 192.0.2.7, -, 198.51.100.9, turn.example.org, CONFIGURED, ANYWHERE",
            "10.0.0.5, -, -, -, 198.51.100.9, 10.0.0.5, CONFIGURED, LAN",
            // the NAT's public address, then a specific bind address, then a specific relay address
            "-, 203.0.113.1, 192.0.2.7, -, 198.51.100.9, 203.0.113.1, EXTERNAL_IPV4, ANYWHERE",
            "-, -, 192.0.2.7, -, 198.51.100.9, 192.0.2.7, STUN_HOST, ANYWHERE",
            "-, -, 127.0.0.1, -, 198.51.100.9, 127.0.0.1, STUN_HOST, THIS_MACHINE",
            "-, -, 10.1.2.3, -, 198.51.100.9, 10.1.2.3, STUN_HOST, LAN",
            "-, -, -, 198.51.100.20, 198.51.100.9, 198.51.100.20, RELAY_IPV4, ANYWHERE",
            // a loopback relay address says nothing about where browsers are: the interfaces decide
            "-, -, -, 127.0.0.1, 198.51.100.9, 198.51.100.9, PUBLIC_INTERFACE, ANYWHERE",
            // interfaces: the first public IPv4, skipping private, CGNAT, link-local and IPv6 addresses
            "-, -, -, -, fe80::1 169.254.1.1 2001:db8::5 10.0.0.2 100.64.1.1 198.51.100.9 203.0.113.4, 198.51.100.9, "
                    + "PUBLIC_INTERFACE, ANYWHERE",
            // only private ones: the first of them, LAN only
            "-, -, -, -, fe80::1 172.20.0.3 192.168.1.10, 172.20.0.3, PRIVATE_INTERFACE, LAN",
            "-, -, -, -, 100.72.0.1, 100.72.0.1, PRIVATE_INTERFACE, LAN",
            // nothing but loopback (and link-local): this machine only
            "-, -, -, -, fe80::1 169.254.3.3, 127.0.0.1, LOOPBACK, THIS_MACHINE",
            "-, -, ::, -, , 127.0.0.1, LOOPBACK, THIS_MACHINE",
    })
    void choosesByTheRulesInOrder(String publicHost, String external, String stunHost, String relay,
                                  String interfaces, String host, PublicHost.Origin origin, PublicHost.Reach reach)
            throws Exception {
        Map<String, String> env = new HashMap<>();
        put(env, "PRESENCE_SERVER_PUBLIC_HOST", publicHost);
        put(env, "PRESENCE_TURN_EXTERNAL_IPV4", external);
        put(env, "PRESENCE_STUN_HOST", stunHost);
        put(env, "PRESENCE_TURN_RELAY_IPV4", relay);
        List<InetAddress> addresses = new ArrayList<>();
        if (interfaces != null) {
            for (String a : interfaces.trim().split("\\s+")) {
                addresses.add(InetAddress.getByName(a));
            }
        }
        PublicHost chosen = PublicHost.choose(PresenceConfig.load(null, env), HostAddresses.of(addresses));
        assertEquals(new PublicHost(host, origin, reach), chosen);
    }

    private static void put(Map<String, String> env, String name, String value) {
        if (value != null) {
            env.put(name, value);
        }
    }

    @Test
    void onlyAHostBrowsersElsewhereCannotUseGetsAWarningNamingTheKey() {
        PublicHost loopback = new PublicHost("127.0.0.1", PublicHost.Origin.LOOPBACK, PublicHost.Reach.THIS_MACHINE);
        String line = loopback.warning().orElseThrow();
        assertTrue(line.contains("remote browsers cannot reach STUN/TURN at 127.0.0.1"), line);
        assertTrue(line.contains("server.publicHost") && line.contains("PRESENCE_SERVER_PUBLIC_HOST"), line);
        assertFalse(line.contains("\n"), "one line");

        String lan = new PublicHost("192.168.1.10", PublicHost.Origin.PRIVATE_INTERFACE, PublicHost.Reach.LAN)
                .warning().orElseThrow();
        assertTrue(lan.contains("192.168.1.10") && lan.contains("LAN only") && lan.contains("server.publicHost"), lan);

        assertTrue(new PublicHost("198.51.100.9", PublicHost.Origin.PUBLIC_INTERFACE, PublicHost.Reach.ANYWHERE)
                .warning().isEmpty());
        assertTrue(new PublicHost("10.0.0.5", PublicHost.Origin.CONFIGURED, PublicHost.Reach.LAN).warning().isEmpty(),
                "the operator chose it");
    }

    @Test
    void reachOfNamesAndLiterals() {
        assertEquals(PublicHost.Reach.ANYWHERE, PublicHost.reach("presence.example.org"));
        assertEquals(PublicHost.Reach.THIS_MACHINE, PublicHost.reach("localhost"));
        assertEquals(PublicHost.Reach.THIS_MACHINE, PublicHost.reach("[::1]"));
        assertEquals(PublicHost.Reach.THIS_MACHINE, PublicHost.reach("127.0.0.2"));
        assertEquals(PublicHost.Reach.LAN, PublicHost.reach("[fd00::2]"));
        assertEquals(PublicHost.Reach.ANYWHERE, PublicHost.reach("2001:db8::1"));
        assertEquals("[2001:db8::1]", new PublicHost("2001:db8::1", PublicHost.Origin.CONFIGURED,
                PublicHost.Reach.ANYWHERE).urlHost());
    }
}
