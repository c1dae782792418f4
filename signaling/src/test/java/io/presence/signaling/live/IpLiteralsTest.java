package io.presence.signaling.live;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IpLiteralsTest {

    @Test
    void ipv4() {
        for (String ok : new String[] {"0.0.0.0", "192.168.1.23", "255.255.255.255", "10.0.0.1"}) {
            assertTrue(IpLiterals.isIpv4(ok), ok);
        }
        for (String bad : new String[] {"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1.2.3.", ".1.2.3",
                "1..2.3", "a.b.c.d", "1.2.3.4 "}) {
            assertFalse(IpLiterals.isIpv4(bad), bad);
        }
    }

    @Test
    void ipv6() {
        for (String ok : new String[] {"::", "::1", "2001:db8::7", "2001:db8:85a3::8a2e:370:7334", "fe80::1%eth0",
                "::ffff:192.0.2.1", "1:2:3:4:5:6:7:8"}) {
            assertTrue(IpLiterals.isIpv6(ok), ok);
        }
        for (String bad : new String[] {"", ":", "abc", "2001:db8:::1", "example.org", "1:2", "::ffff:999.0.2.1",
                "[::1]", "uuid-4fe3.local"}) {
            assertFalse(IpLiterals.isIpv6(bad), bad);
        }
    }

    @Test
    void mdnsAndUnspecified() {
        assertTrue(IpLiterals.isMdnsName("2cf0b2c0-0842-4fe3-aaa0-4556a2dfbadc.local"));
        assertTrue(IpLiterals.isMdnsName("X.LOCAL"));
        assertFalse(IpLiterals.isMdnsName(".local"));
        assertFalse(IpLiterals.isMdnsName("local.example.org"));
        assertEquals("::", IpLiterals.unspecifiedFor("2001:db8::1"));
        assertEquals("0.0.0.0", IpLiterals.unspecifiedFor("198.51.100.10"));
        assertEquals("0.0.0.0", IpLiterals.unspecifiedFor("turn.example.org"));
    }

    @Test
    void addressTokens() {
        assertTrue(IpLiterals.containsAddressToken("a=x:192.168.1.23:5000", "192.168.1.23"));
        assertTrue(IpLiterals.containsAddressToken("::ffff:192.168.1.23", "192.168.1.23"));
        assertFalse(IpLiterals.containsAddressToken("a=x:192.168.1.230", "192.168.1.23"));
        assertFalse(IpLiterals.containsAddressToken("a=x:10.192.168.1.23", "192.168.1.23"));
        assertTrue(IpLiterals.containsAddressToken("c=IN IP6 2001:db8::1", "2001:db8::1"));
        assertFalse(IpLiterals.containsAddressToken("c=IN IP6 2001:db8::1a", "2001:db8::1"));
        assertFalse(IpLiterals.containsAddressToken("c=IN IP6 2001:db8::1:2", "2001:db8::1"));
    }
}
