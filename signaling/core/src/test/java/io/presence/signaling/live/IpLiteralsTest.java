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

    /** Parsing by hand agrees with the JDK on every literal, and never hands a non-literal to anything. */
    @Test
    void parseAgreesWithTheJdkAndFormatIsCanonical() throws Exception {
        java.util.Random random = new java.util.Random(16);
        for (int n = 0; n < 5000; n++) {
            byte[] bytes = new byte[random.nextBoolean() ? 4 : 16];
            random.nextBytes(bytes);
            if (bytes.length == 16) {
                for (int g = 0; g < 8; g++) {
                    if (random.nextInt(3) == 0) {
                        bytes[2 * g] = 0;
                        bytes[2 * g + 1] = 0;
                    }
                }
            }
            java.net.InetAddress address = java.net.InetAddress.getByAddress(bytes);
            String full = address.getHostAddress();
            String canonical = IpLiterals.format(address);
            assertEquals(address, java.net.InetAddress.getByAddress(IpLiterals.parse(full)), full);
            assertEquals(address, java.net.InetAddress.getByAddress(IpLiterals.parse(canonical)), canonical);
            assertEquals(address, java.net.InetAddress.getByName(canonical), canonical);
            assertTrue(canonical.length() <= full.length(), canonical);
        }
        assertEquals("2001:db8::1", IpLiterals.format(java.net.InetAddress.getByName("2001:db8:0:0:0:0:0:1")));
        assertEquals("::", IpLiterals.format(java.net.InetAddress.getByName("::")));
        assertEquals("1:0:2::", IpLiterals.format(java.net.InetAddress.getByName("1:0:2:0:0:0:0:0")));
        assertEquals(java.net.InetAddress.getByName("192.0.2.1"),
                java.net.InetAddress.getByAddress(IpLiterals.parse("::ffff:192.0.2.1")), "mapped: the IPv4 address");
        for (String bad : new String[] {"1::2::3", "::ffff:192.0.2.1:1", "1:2:3:4:5:6:7:8:9", "12345::", ":1::",
                "1:", "fe80::1%eth0", "fe80::1%25eth0", "[::1]", "evil.example", "1.2.3", "1:2:3:4:5:6:7::8"}) {
            assertEquals(null, IpLiterals.parse(bad), bad);
        }
    }
}
