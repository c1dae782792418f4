package io.presence.turn.policy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PeerPolicyTest {
    private final PeerPolicy defaults = new PeerPolicy(List.of(), List.of(), List.of());

    private static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    /** Something inside every default range: first, last and a middle address where it matters. */
    @ParameterizedTest
    @ValueSource(strings = {
            "0.0.0.0", "0.255.255.255", "10.0.0.1", "10.255.255.255", "100.64.0.1", "100.127.255.255",
            "127.0.0.1", "127.1.2.3", "169.254.169.254", "169.254.0.1", "172.16.0.1", "172.31.255.255",
            "192.0.0.1", "192.0.2.7", "192.88.99.1", "192.168.1.1", "198.18.0.1", "198.19.255.255",
            "198.51.100.5", "203.0.113.9", "224.0.0.1", "239.255.255.250", "240.0.0.1", "255.255.255.255",
            "::", "::1", "fc00::1", "fd12:3456::1", "fe80::1", "febf::1", "fec0::1", "feff::1", "ff02::1",
            "ff0e::1", "100::1", "100::ffff:ffff:ffff:ffff", "2001:db8::1", "2001:db8:ffff::1"})
    void defaultDenyCoversEveryRange(String address) throws Exception {
        assertEquals(PeerPolicy.Verdict.DENIED_DEFAULT, defaults.check(ip(address)), address);
    }

    @ParameterizedTest
    @ValueSource(strings = {"8.8.8.8", "1.1.1.1", "100.63.255.255", "100.128.0.0", "172.15.255.255",
            "172.32.0.0", "192.167.255.255", "192.169.0.0", "198.17.255.255", "198.20.0.0", "11.0.0.1",
            "126.255.255.255", "128.0.0.1", "223.255.255.255", "2001:4860:4860::8888", "2606:4700::1111",
            "100:0:0:1::1", "2001:db9::1", "fbff::1"})
    void publicAddressesAreAllowed(String address) throws Exception {
        assertEquals(PeerPolicy.Verdict.ALLOWED, defaults.check(ip(address)), address);
    }

    /** IPv4-embedded IPv6 forms are converted first, so the IPv4 ranges apply (coturn 4.6.1 let these through). */
    @ParameterizedTest
    @ValueSource(strings = {"::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:169.254.169.254", "::ffff:224.0.0.1",
            "::127.0.0.1", "::10.1.2.3", "::169.254.169.254", "64:ff9b::7f00:1", "64:ff9b::a00:1",
            "64:ff9b::169.254.169.254", "2002:7f00:1::", "2002:a00:1::1", "2002:a9fe:a9fe::"})
    void embeddedIpv4IsCheckedAsIpv4(String address) throws Exception {
        byte[] raw = raw16(address);
        assertEquals(PeerPolicy.Verdict.DENIED_DEFAULT, defaults.check(raw), address);
    }

    @ParameterizedTest
    @ValueSource(strings = {"::ffff:8.8.8.8", "64:ff9b::808:808", "2002:808:808::1", "::8.8.8.8"})
    void embeddedPublicIpv4IsAllowed(String address) throws Exception {
        assertEquals(PeerPolicy.Verdict.ALLOWED, defaults.check(raw16(address)), address);
    }

    /** 16 bytes even for ::ffff:a.b.c.d, which Java would turn into an Inet4Address. */
    private static byte[] raw16(String s) {
        byte[] b = Cidr.literal(s);
        assertEquals(16, b.length, s);
        return b;
    }

    @Test
    void familyAwareMatching() throws Exception {
        // An IPv6 range never matches an IPv4 address (coturn denied 8.8.8.8 by an IPv6 range).
        PeerPolicy p = new PeerPolicy(List.of(), List.of("::/0"), List.of());
        assertEquals(PeerPolicy.Verdict.ALLOWED, p.check(ip("8.8.8.8")));
        assertEquals(PeerPolicy.Verdict.DENIED_CONFIG, p.check(ip("2001:4860::1")));
        PeerPolicy q = new PeerPolicy(List.of(), List.of("0.0.0.0/0"), List.of());
        assertEquals(PeerPolicy.Verdict.ALLOWED, q.check(ip("2001:4860::1")));
        assertEquals(PeerPolicy.Verdict.DENIED_CONFIG, q.check(ip("8.8.8.8")));
    }

    @Test
    void allowListOpensADefaultRangeAndDenyListWins() throws Exception {
        PeerPolicy p = new PeerPolicy(List.of("127.0.0.1/32", "10.0.0.0/8", "::1"), List.of("10.9.0.0/16"), List.of());
        assertEquals(PeerPolicy.Verdict.ALLOWED, p.check(ip("127.0.0.1")));
        assertEquals(PeerPolicy.Verdict.DENIED_DEFAULT, p.check(ip("127.0.0.2")));
        assertEquals(PeerPolicy.Verdict.ALLOWED, p.check(ip("10.1.2.3")));
        assertEquals(PeerPolicy.Verdict.DENIED_CONFIG, p.check(ip("10.9.1.1")));
        assertEquals(PeerPolicy.Verdict.ALLOWED, p.check(ip("::1")));
        // The mapped form of an allowed IPv4 address is allowed too (it is the same destination).
        assertEquals(PeerPolicy.Verdict.ALLOWED, p.check(raw16("::ffff:127.0.0.1")));
        PeerPolicy d = new PeerPolicy(List.of(), List.of("8.8.8.0/24"), List.of());
        assertEquals(PeerPolicy.Verdict.DENIED_CONFIG, d.check(ip("8.8.8.8")));
        assertEquals(PeerPolicy.Verdict.DENIED_CONFIG, d.check(raw16("::ffff:8.8.8.8")));
        assertEquals(PeerPolicy.Verdict.DENIED_CONFIG, d.check(raw16("64:ff9b::808:808")));
    }

    @Test
    void ownListeningAddressesAreAlwaysDenied() throws Exception {
        PeerPolicy p = new PeerPolicy(List.of("127.0.0.0/8"), List.of(), List.of());
        p.ownAddresses(List.of(new InetSocketAddress("127.0.0.1", 3478), new InetSocketAddress("0.0.0.0", 5349)));
        assertEquals(PeerPolicy.Verdict.DENIED_OWN_ADDRESS, p.check(new InetSocketAddress("127.0.0.1", 3478)));
        assertEquals(PeerPolicy.Verdict.DENIED_OWN_ADDRESS, p.check(new InetSocketAddress("127.0.0.5", 5349)));
        assertEquals(PeerPolicy.Verdict.ALLOWED, p.check(new InetSocketAddress("127.0.0.1", 3479)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.0/33", "10.0.0/8", "10.0.0.256/32", "example.com", "10.0.0.0/", "/8", "",
            "::1/129", "fe80::1%eth0", "1.2.3.4/-1", "1.2.3.4/8/8", "gggg::1", "10.0.0.0/8x"})
    void malformedCidrIsRejectedNamingTheEntry(String entry) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new PeerPolicy(List.of(entry), List.of(), List.of()));
        assertTrue(e.getMessage().contains("'" + entry + "'") || entry.isEmpty(), e.getMessage());
    }

    @Test
    void cidrParsesBothFamilies() {
        assertEquals("10.0.0.0/8", Cidr.parse("10.1.2.3/8").toString());
        assertTrue(Cidr.parse("2001:db8::/32").containsV6(0x20010db8_00000000L | 0xFFFFL << 16, 5));
        assertTrue(Cidr.parse("0.0.0.0/0").containsV4(0xFFFFFFFF));
        assertTrue(Cidr.parse("::/0").containsV6(-1, -1));
        assertTrue(Cidr.parse("1.2.3.4").containsV4(0x01020304));
    }
}
