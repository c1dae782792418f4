package io.presence.signaling.session;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The client address behind reverse proxies: headers count only from a trusted peer, chains are walked right to left. */
class TrustedProxiesTest {
    final TrustedProxies proxies = TrustedProxies.of(List.of("10.0.0.0/8", "192.0.2.10", "fd00::/8"));

    static InetAddress ip(String text) throws Exception {
        return InetAddress.getByName(text);
    }

    @Test
    void aSpoofedHeaderFromAnUntrustedPeerIsIgnored() throws Exception {
        assertEquals(ip("203.0.113.5"), proxies.client(ip("203.0.113.5"), List.of("198.51.100.1"),
                List.of("for=198.51.100.2")));
        assertEquals(ip("203.0.113.5"), TrustedProxies.NONE.client(ip("203.0.113.5"), List.of("198.51.100.1"),
                List.of()));
    }

    @Test
    void aTrustedProxyIsBelieved() throws Exception {
        assertEquals(ip("198.51.100.1"), proxies.client(ip("10.1.2.3"), List.of("198.51.100.1"), List.of()));
        assertEquals(ip("2001:db8::7"), proxies.client(ip("fd00::1"), List.of("2001:db8::7"), List.of()));
        assertEquals(ip("10.1.2.3"), proxies.client(ip("10.1.2.3"), List.of(), List.of()), "no header: the proxy");
    }

    @Test
    void chainsAreWalkedFromTheRightSkippingTrustedProxiesOnly() throws Exception {
        // the client wrote "1.1.1.1" itself; nginx appended the real address; a second proxy appended nginx's
        assertEquals(ip("198.51.100.9"), proxies.client(ip("10.0.0.2"),
                List.of("1.1.1.1, 198.51.100.9, 10.0.0.1"), List.of()));
        assertEquals(ip("198.51.100.9"), proxies.client(ip("10.0.0.2"),
                List.of("1.1.1.1", "198.51.100.9, 192.0.2.10"), List.of()), "several header lines form one list");
        assertEquals(ip("10.0.0.1"), proxies.client(ip("10.0.0.2"), List.of("10.0.0.1"), List.of()),
                "only proxies: the farthest of them");
    }

    @Test
    void garbageStopsTheWalkAtTheNearestReadableAddress() throws Exception {
        assertEquals(ip("10.0.0.1"), proxies.client(ip("10.0.0.2"), List.of("198.51.100.9, evil.example, 10.0.0.1"),
                List.of()));
        assertEquals(ip("10.0.0.2"), proxies.client(ip("10.0.0.2"), List.of("unknown"), List.of()));
        assertNull(TrustedProxies.hopAddress("localhost"), "names are never resolved");
    }

    @Test
    void forwardedIsReadWithoutXForwardedFor() throws Exception {
        assertEquals(ip("2001:db8::9"), proxies.client(ip("10.0.0.2"),
                List.of(), List.of("for=198.51.100.1;proto=https, for=\"[2001:db8::9]:4711\";by=10.0.0.2")));
        assertEquals(ip("198.51.100.3"), proxies.client(ip("10.0.0.2"), List.of(),
                List.of("For=198.51.100.3:8080")));
        assertEquals(ip("10.0.0.2"), proxies.client(ip("10.0.0.2"), List.of(), List.of("for=_hidden")));
    }

    @Test
    void badEntriesAreRefusedWithTheirText() throws Exception {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrustedProxies.of(List.of("proxy.example")));
        assertTrue(e.getMessage().contains("proxy.example"));
        assertThrows(IllegalArgumentException.class, () -> TrustedProxies.of(List.of("10.0.0.0/33")));
        assertThrows(IllegalArgumentException.class, () -> TrustedProxies.of(List.of("10.0.0.0/x")));
        assertTrue(TrustedProxies.of(List.of("10.0.0.0/0")).isTrusted(ip("203.0.113.1")));
        assertFalse(TrustedProxies.of(List.of("10.0.0.0/9")).isTrusted(ip("10.128.0.1")));
    }
}
