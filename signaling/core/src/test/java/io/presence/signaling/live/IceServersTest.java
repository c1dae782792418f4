package io.presence.signaling.live;

import io.presence.signaling.protocol.IceServer;

import io.presence.signaling.protocol.IceConfiguration;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IceServersTest {

    private static final Credentials CREDENTIALS =
            new Credentials("1767225600:r-42:p-7", "cSwwGENvNtEkkjQ/uL0ilho5jyw=", 600,
                    Instant.ofEpochSecond(1767225600));

    @Test
    void applianceUrlsWithoutTls() {
        IceServers servers = IceServers.appliance("call.example.org", 3478, 3478, OptionalInt.empty());
        assertEquals(List.of("stun:call.example.org:3478", "turn:call.example.org:3478?transport=udp",
                "turn:call.example.org:3478?transport=tcp"), servers.urls());
    }

    @Test
    void applianceUrlsWithTls() {
        IceServers servers =
                IceServers.appliance("203.0.113.7", 3479, 3480, OptionalInt.of(IceServers.DEFAULT_TLS_PORT));
        assertEquals(List.of("stun:203.0.113.7:3479", "turn:203.0.113.7:3480?transport=udp",
                "turn:203.0.113.7:3480?transport=tcp", "turns:203.0.113.7:5349?transport=tcp"), servers.urls());
    }

    @Test
    void ipv6HostsAreBracketedOnce() {
        List<String> expected = List.of("stun:[2001:db8::7]:3478", "turn:[2001:db8::7]:3478?transport=udp",
                "turn:[2001:db8::7]:3478?transport=tcp", "turns:[2001:db8::7]:443?transport=tcp");
        assertEquals(expected, IceServers.appliance("2001:db8::7", 3478, 3478, OptionalInt.of(443)).urls());
        assertEquals(expected, IceServers.appliance("[2001:db8::7]", 3478, 3478, OptionalInt.of(443)).urls());
        assertEquals("stun:[::ffff:192.0.2.1]:3478",
                IceServers.appliance("::ffff:192.0.2.1", 3478, 3478, OptionalInt.empty()).urls().get(0));
    }

    @Test
    void badHostsAndPortsAreRefused() {
        for (String host : new String[] {"", " ", "exa mple.org", "example.org/path", "user@example.org",
                "fe80::1%eth0", "[]", "example.org:3478"}) {
            assertThrows(IllegalArgumentException.class,
                    () -> IceServers.appliance(host, 3478, 3478, OptionalInt.empty()), host);
        }
        assertThrows(IllegalArgumentException.class, () -> IceServers.appliance("a.org", 0, 3478, OptionalInt.empty()));
        assertThrows(IllegalArgumentException.class, () -> IceServers.appliance("a.org", 3478, 65536,
                OptionalInt.empty()));
        assertThrows(IllegalArgumentException.class, () -> IceServers.appliance("a.org", 3478, 3478,
                OptionalInt.of(-1)));
    }

    @Test
    void relayOnlyRoomsGetTheRelayPolicy() {
        IceServers servers = IceServers.appliance("call.example.org", 3478, 3478, OptionalInt.of(5349));

        IceConfiguration relay = servers.configuration(CREDENTIALS, true);
        IceConfiguration all = servers.configuration(CREDENTIALS, false);

        assertEquals("relay", relay.iceTransportPolicy());
        assertTrue(relay.relayOnly());
        assertEquals("all", all.iceTransportPolicy());
        assertFalse(all.relayOnly());
        assertEquals(600, relay.ttlSeconds());
        assertEquals(List.of(new IceServer(servers.urls(), "1767225600:r-42:p-7", "cSwwGENvNtEkkjQ/uL0ilho5jyw=")),
                relay.iceServers());
    }

    @Test
    void externalRelayUrlsAreUsedAsConfigured() {
        List<String> urls = List.of("turn:turn.example.net:3478?transport=udp",
                "turns:turn.example.net:443?transport=tcp",
                "stun:turn.example.net:3478");
        assertEquals(urls, IceServers.external(urls).urls());
        assertThrows(IllegalArgumentException.class, () -> IceServers.external(List.of()));
        assertThrows(IllegalArgumentException.class, () -> IceServers.external(List.of("stun:only.example.net")));
        assertThrows(IllegalArgumentException.class, () -> IceServers.external(List.of("http://turn.example.net")));
        assertThrows(IllegalArgumentException.class, () -> IceServers.external(List.of("turn:a b")));
    }

    @Test
    void secretsStayOutOfToString() {
        IceConfiguration config = IceServers.appliance("call.example.org", 3478, 3478, OptionalInt.empty())
                .configuration(CREDENTIALS, true);
        assertFalse(config.toString().contains(CREDENTIALS.password()), config.toString());
        assertFalse(CREDENTIALS.toString().contains(CREDENTIALS.password()));
    }

    @Test
    void recordsRejectNonsense() {
        assertThrows(IllegalArgumentException.class, () -> new IceConfiguration(List.of(), "none", 60));
        assertThrows(IllegalArgumentException.class, () -> new IceConfiguration(List.of(), "relay", 0));
        assertThrows(IllegalArgumentException.class, () -> new Credentials("u", "p", 0, Instant.EPOCH));
        assertThrows(IllegalArgumentException.class, () -> new IceServer(List.of(), "u", "p"));
    }
}
