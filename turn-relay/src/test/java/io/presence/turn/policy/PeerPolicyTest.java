package io.presence.turn.policy;

import io.presence.turn.policy.PeerPolicy.Verdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PeerPolicyTest {
    private final PeerPolicy defaults = new PeerPolicy(List.of(), List.of(), List.of());

    private static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    /** 16 bytes even for ::ffff:a.b.c.d, which Java would turn into an Inet4Address. */
    private static byte[] raw(String s) {
        byte[] b = Cidr.literal(s);
        assertTrue(b != null, s);
        return b;
    }

    private static long hi(String s) {
        return IpBits.hi(raw(s));
    }

    private static long lo(String s) {
        return IpBits.lo(raw(s));
    }

    private static Verdict expected(String decision) {
        return switch (decision) {
            case "deny" -> Verdict.DENIED_DEFAULT;
            case "allow" -> Verdict.ALLOWED;
            default -> throw new IllegalArgumentException("decision " + decision);
        };
    }

    /**
     * The IANA IPv4 and IPv6 Special-Purpose Address Registries, entry by entry, with the default decision for a
     * sample inside the entry and why. Globally reachable entries are denied too when they are anycast
     * infrastructure: no WebRTC peer lives there, and relaying to them only serves an abuser.
     */
    @ParameterizedTest(name = "{0} ({1}) → {2}: {3}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            # ---- IPv4 Special-Purpose Address Registry ----
            0.0.0.0/8          | 0.1.2.3          | deny | this network (RFC 1122): a source only; connecting to it reaches this host on Linux
            0.0.0.0/32         | 0.0.0.0          | deny | this host on this network: the relay itself
            10.0.0.0/8         | 10.20.30.40      | deny | private-use (RFC 1918): the operator's inside network
            100.64.0.0/10      | 100.100.100.200  | deny | shared address space (RFC 6598): a carrier's inside network; some clouds' metadata
            127.0.0.0/8        | 127.0.0.53       | deny | loopback: every service of this host
            169.254.0.0/16     | 169.254.169.254  | deny | link local: cloud metadata services
            172.16.0.0/12      | 172.31.255.254   | deny | private-use (RFC 1918)
            192.0.0.0/24       | 192.0.0.200      | deny | IETF protocol assignments: not globally reachable
            192.0.0.0/29       | 192.0.0.1        | deny | IPv4 service continuity (DS-Lite, RFC 6333): inside an ISP
            192.0.0.8/32       | 192.0.0.8        | deny | IPv4 dummy address (RFC 7600): never a destination
            192.0.0.9/32       | 192.0.0.9        | deny | PCP anycast (RFC 7723): a datagram could ask the relay's NAT for port mappings
            192.0.0.10/32      | 192.0.0.10       | deny | TURN anycast (RFC 8155): relaying into another relay, not a media peer
            192.0.0.170/32     | 192.0.0.170      | deny | NAT64/DNS64 discovery (RFC 7050): a name, not a host
            192.0.0.171/32     | 192.0.0.171      | deny | NAT64/DNS64 discovery (RFC 7050): a name, not a host
            192.0.2.0/24       | 192.0.2.1        | deny | documentation TEST-NET-1 (RFC 5737)
            192.31.196.0/24    | 192.31.196.1     | deny | AS112-v4 (RFC 7535): anycast DNS sinks, no media peer
            192.52.193.0/24    | 192.52.193.1     | deny | AMT (RFC 7450): multicast tunnel relays, no media peer
            192.88.99.0/24     | 192.88.99.1      | deny | deprecated 6to4 relay anycast (RFC 7526)
            192.88.99.2/32     | 192.88.99.2      | deny | 6a44 relay anycast (RFC 6751): tunnel infrastructure
            192.168.0.0/16     | 192.168.1.1      | deny | private-use (RFC 1918): home and office routers
            192.175.48.0/24    | 192.175.48.6     | deny | AS112 direct delegation (RFC 7534): anycast DNS sinks
            198.18.0.0/15      | 198.19.0.1       | deny | benchmarking (RFC 2544): lab networks
            198.51.100.0/24    | 198.51.100.7     | deny | documentation TEST-NET-2 (RFC 5737)
            203.0.113.0/24     | 203.0.113.9      | deny | documentation TEST-NET-3 (RFC 5737)
            240.0.0.0/4        | 250.1.2.3        | deny | reserved (RFC 1112): not routed
            255.255.255.255/32 | 255.255.255.255  | deny | limited broadcast: every host of the relay's link
            224.0.0.0/4        | 239.255.255.250  | deny | multicast (multicast registry, RFC 5771): SSDP and friends on the relay's link
            # ---- IPv6 Special-Purpose Address Registry ----
            ::1/128            | ::1              | deny | loopback: every service of this host
            ::/128             | ::               | deny | unspecified: connecting to it reaches this host on Linux
            ::ffff:0:0/96      | ::ffff:10.0.0.1  | deny | IPv4-mapped: judged as the IPv4 address (here private); see EMBEDDINGS
            64:ff9b::/96       | 64:ff9b::a00:1   | deny | NAT64 well-known prefix: judged by the IPv4 address (here private); see EMBEDDINGS
            64:ff9b:1::/48     | 64:ff9b:1:808:8:800:: | deny | NAT64 local-use (RFC 8215): not globally reachable; denied outright, see EMBEDDINGS
            100::/64           | 100::1           | deny | discard-only (RFC 6666)
            100:0:0:1::/64     | 100:0:0:1::1     | deny | dummy IPv6 prefix (RFC 9780): never a destination
            2001::/23          | 2001:100::1      | deny | IETF protocol assignments: not globally reachable
            2001::/32          | 2001:0:4136:e378:8000:63bf:3fff:fdd2 | deny | Teredo: denied outright, see EMBEDDINGS
            2001:1::1/128      | 2001:1::1        | deny | PCP anycast (RFC 7723): could ask a NAT for port mappings
            2001:1::2/128      | 2001:1::2        | deny | TURN anycast (RFC 8155): relaying into another relay
            2001:1::3/128      | 2001:1::3        | deny | DNS-SD service registration protocol anycast (RFC 9665): not a media peer
            2001:2::/48        | 2001:2::1        | deny | benchmarking (RFC 5180)
            2001:3::/32        | 2001:3::1        | deny | AMT (RFC 7450): multicast tunnel relays
            2001:4:112::/48    | 2001:4:112::1    | deny | AS112-v6 (RFC 7535): anycast DNS sinks
            2001:10::/28       | 2001:10::1       | deny | deprecated ORCHID (RFC 4843)
            2001:20::/28       | 2001:20::1       | deny | ORCHIDv2 (RFC 7343): identifiers, not locators
            2001:30::/28       | 2001:30::1       | deny | drone remote ID entity tags (RFC 9374): identifiers, not locators
            2001:db8::/32      | 2001:db8::1      | deny | documentation (RFC 3849)
            2002::/16          | 2002:808:808::1  | deny | 6to4: denied outright, see EMBEDDINGS
            2620:4f:8000::/48  | 2620:4f:8000::1  | deny | AS112 direct delegation (RFC 7534): anycast DNS sinks
            3fff::/20          | 3fff::1          | deny | documentation (RFC 9637)
            5f00::/16          | 5f00::1          | deny | SRv6 segment identifiers (RFC 9602): not globally reachable
            fc00::/7           | fd12:3456::1     | deny | unique local (RFC 4193): the operator's inside network
            fe80::/10          | fe80::1          | deny | link-local unicast: the relay's link
            # ---- outside the registry, IPv6 address space ----
            fec0::/10          | fec0::1          | deny | deprecated site-local (RFC 3879): still routed inside some sites
            ff00::/8           | ff02::1          | deny | multicast: all nodes of the relay's link
            ::/3               | 1::1             | deny | outside global unicast 2000::/3: IANA allocates nothing there
            4000::/2           | 4000::1          | deny | outside global unicast 2000::/3
            8000::/1           | fbff::1          | deny | outside global unicast 2000::/3
            2000::/3           | 2001:4860:4860::8888 | allow | global unicast, outside every special-purpose entry
            """)
    void registryEntries(String entry, String sample, String decision, String why) {
        assertTrue(Cidr.parse(entry).ipv6() ? Cidr.parse(entry).containsV6(hi(sample), lo(sample))
                : Cidr.parse(entry).containsV4(IpBits.v4(raw(sample))), sample + " lies in " + entry);
        assertEquals(expected(decision), defaults.check(raw(sample)), entry + " " + sample + ": " + why);
    }

    /**
     * Every IPv6 form that carries an IPv4 address, once with a private or loopback IPv4 address and once with
     * a public one: denied, or judged by the IPv4 address, and why.
     */
    @ParameterizedTest(name = "{0} {1} ({2}) → {3}: {4}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            MAPPED      | ::ffff:127.0.0.1           | 127.0.0.1       | deny  | judged as IPv4: loopback
            MAPPED      | ::ffff:169.254.169.254     | 169.254.169.254 | deny  | judged as IPv4: metadata
            MAPPED      | ::ffff:8.8.8.8             | 8.8.8.8         | allow | the same destination as 8.8.8.8 (Java sends it as IPv4)
            COMPATIBLE  | ::127.0.0.1                | 127.0.0.1       | deny  | deprecated (RFC 4291); denied outright
            COMPATIBLE  | ::8.8.8.8                  | 8.8.8.8         | deny  | deprecated (RFC 4291); no stack sends to it, so denied outright
            TRANSLATED  | ::ffff:0:10.0.0.1          | 10.0.0.1        | deny  | SIIT, obsolete (RFC 6145 uses RFC 6052 prefixes); denied outright
            TRANSLATED  | ::ffff:0:8.8.8.8           | 8.8.8.8         | deny  | SIIT, obsolete; a translator on the path would pick the IPv4 address, denied outright
            NAT64       | 64:ff9b::7f00:1            | 127.0.0.1       | deny  | judged by IPv4: a NAT64 would reach loopback of its own host
            NAT64       | 64:ff9b::169.254.169.254   | 169.254.169.254 | deny  | judged by IPv4: metadata
            NAT64       | 64:ff9b::808:808           | 8.8.8.8         | allow | judged by IPv4: an IPv6-only relay reaches IPv4 peers through NAT64
            NAT64_LOCAL | 64:ff9b:1:7f00:0:100::     | 127.0.0.1       | deny  | local-use (RFC 8215), /48 layout: denied outright
            NAT64_LOCAL | 64:ff9b:1:a9fe:a9:fe00::   | 169.254.169.254 | deny  | local-use: denied outright
            NAT64_LOCAL | 64:ff9b:1:808:8:800::      | 8.8.8.8         | deny  | local-use: not globally reachable, prefix length site-specific; denied outright
            NAT64_LOCAL | 64:ff9b:1::7f00:1          | 0.0.0.0         | deny  | local-use with a /96 layout: denied outright whatever the layout
            SIX_TO_FOUR | 2002:7f00:1::1             | 127.0.0.1       | deny  | 6to4, deprecated anycast (RFC 7526): denied outright
            SIX_TO_FOUR | 2002:a00:1::               | 10.0.0.1        | deny  | 6to4: denied outright
            SIX_TO_FOUR | 2002:808:808::1            | 8.8.8.8         | deny  | 6to4: a peer behind it is rare and a 6to4 gateway on the path decapsulates to the IPv4 address
            TEREDO      | 2001:0:4136:e378:8000:63bf:80ff:fffe | 127.0.0.1 | deny | Teredo, client 127.0.0.1 (obfuscated): denied outright
            TEREDO      | 2001:0:a00:1:8000:63bf:f7f7:f7f7 | 8.8.8.8   | deny  | Teredo, server 10.0.0.1: denied outright
            TEREDO      | 2001:0:4136:e378:8000:63bf:f7f7:f7f7 | 8.8.8.8 | deny | Teredo, public server and client: rare for a peer, a Teredo relay on the path would reach the client; denied outright
            """)
    void embeddings(EmbeddedIpv4.Form form, String sample, String ipv4, String decision, String why) {
        assertEquals(form, EmbeddedIpv4.form(hi(sample), lo(sample)), sample);
        assertEquals(IpBits.v4(raw(ipv4)) & 0xFFFF_FFFFL, EmbeddedIpv4.of(hi(sample), lo(sample)), sample);
        assertEquals(expected(decision), defaults.check(raw(sample)), sample + ": " + why);
    }

    /** Where each form keeps its IPv4 address, with the RFCs' own examples. */
    @ParameterizedTest(name = "{0} → {1} {2}")
    @CsvSource(delimiter = '|', textBlock = """
            ::ffff:192.0.2.33                     | MAPPED      | 192.0.2.33    | -
            ::192.0.2.33                          | COMPATIBLE  | 192.0.2.33    | -
            ::ffff:0:192.0.2.33                   | TRANSLATED  | 192.0.2.33    | -
            64:ff9b::192.0.2.33                   | NAT64       | 192.0.2.33    | -
            64:ff9b:1:c000:2:2100::               | NAT64_LOCAL | 192.0.2.33    | -
            64:ff9b:1:c000:ff02:2100::            | NAT64_LOCAL | 192.0.2.33    | -
            2002:c000:221::1                      | SIX_TO_FOUR | 192.0.2.33    | -
            2001:0:4136:e378:8000:63bf:3fff:fdd2  | TEREDO      | 192.0.2.45    | 65.54.227.120
            """)
    void whereEachFormKeepsItsIpv4Address(String address, EmbeddedIpv4.Form form, String ipv4, String server) {
        long h = hi(address);
        long l = lo(address);
        assertEquals(form, EmbeddedIpv4.form(h, l));
        assertEquals(IpBits.v4(raw(ipv4)) & 0xFFFF_FFFFL, form.ipv4(h, l));
        assertEquals(IpBits.v4(raw(ipv4)) & 0xFFFF_FFFFL, EmbeddedIpv4.of(h, l));
        assertEquals(server.equals("-") ? EmbeddedIpv4.NONE : IpBits.v4(raw(server)) & 0xFFFF_FFFFL,
                EmbeddedIpv4.teredoServer(h, l));
    }

    @ParameterizedTest
    @ValueSource(strings = {"::", "::1", "::1:0:0:1", "::fffe:7f00:1", "64:ff9b::1:7f00:1", "64:ff9b:2::7f00:1",
            "2003::7f00:1", "2001:1::7f00:1", "2001:4860:4860::8888"})
    void addressesOutsideEveryFormCarryNoIpv4(String address) {
        assertNull(EmbeddedIpv4.form(hi(address), lo(address)), address);
        assertEquals(EmbeddedIpv4.NONE, EmbeddedIpv4.of(hi(address), lo(address)), address);
    }

    /** Just outside each range, and ordinary public addresses. */
    @ParameterizedTest
    @ValueSource(strings = {"8.8.8.8", "1.1.1.1", "100.63.255.255", "100.128.0.0", "172.15.255.255",
            "172.32.0.0", "192.167.255.255", "192.169.0.0", "198.17.255.255", "198.20.0.0", "11.0.0.1",
            "126.255.255.255", "128.0.0.1", "223.255.255.255", "192.0.1.255", "192.31.195.255", "192.31.197.0",
            "192.52.192.255", "192.52.194.0", "192.175.47.255", "192.175.49.0",
            "2001:4860:4860::8888", "2606:4700::1111", "2001:200::1", "2001:db9::1", "2003::1", "2620:4f:8001::1",
            "2620:4f:7fff:ffff::1", "3fff:1000::1", "3ffe:ffff::1", "2000::1"})
    void publicAddressesAreAllowed(String address) throws Exception {
        assertEquals(Verdict.ALLOWED, defaults.check(ip(address)), address);
    }

    @Test
    void familyAwareMatching() throws Exception {
        // An IPv6 range never matches an IPv4 address (coturn denied 8.8.8.8 by an IPv6 range).
        PeerPolicy p = new PeerPolicy(List.of(), List.of("::/0"), List.of());
        assertEquals(Verdict.ALLOWED, p.check(ip("8.8.8.8")));
        assertEquals(Verdict.DENIED_CONFIG, p.check(ip("2001:4860::1")));
        PeerPolicy q = new PeerPolicy(List.of(), List.of("0.0.0.0/0"), List.of());
        assertEquals(Verdict.ALLOWED, q.check(ip("2001:4860::1")));
        assertEquals(Verdict.DENIED_CONFIG, q.check(ip("8.8.8.8")));
    }

    @Test
    void allowListOpensADefaultRangeAndDenyListWins() throws Exception {
        PeerPolicy p = new PeerPolicy(List.of("127.0.0.1/32", "10.0.0.0/8", "::1"), List.of("10.9.0.0/16"), List.of());
        assertEquals(Verdict.ALLOWED, p.check(ip("127.0.0.1")));
        assertEquals(Verdict.DENIED_DEFAULT, p.check(ip("127.0.0.2")));
        assertEquals(Verdict.ALLOWED, p.check(ip("10.1.2.3")));
        assertEquals(Verdict.DENIED_CONFIG, p.check(ip("10.9.1.1")));
        assertEquals(Verdict.ALLOWED, p.check(ip("::1")));
        // The mapped form of an allowed IPv4 address is allowed too (it is the same destination).
        assertEquals(Verdict.ALLOWED, p.check(raw("::ffff:127.0.0.1")));
    }

    /** A deny entry of either family reaches every form: the IPv6 range, and each IPv4 address it carries. */
    @ParameterizedTest
    @ValueSource(strings = {"::ffff:8.8.8.8", "64:ff9b::808:808", "::8.8.8.8", "::ffff:0:8.8.8.8",
            "64:ff9b:1:808:8:800::", "2002:808:808::1", "2001:0:4136:e378:8000:63bf:f7f7:f7f7",
            "2001:0:808:808:8000:63bf:3fff:fdd2"})
    void anIpv4DenyEntryDeniesEveryFormCarryingTheAddress(String address) {
        PeerPolicy d = new PeerPolicy(List.of("2001::/32", "2002::/16", "64:ff9b:1::/48", "::/96", "::ffff:0:0:0/96"),
                List.of("8.8.8.0/24"), List.of());
        assertEquals(Verdict.DENIED_CONFIG, d.check(raw(address)), address);
    }

    @Test
    void anIpv6DenyEntryCoversTheMappedAndNat64Forms() {
        PeerPolicy d = new PeerPolicy(List.of(), List.of("::ffff:0:0/96", "64:ff9b::/96"), List.of());
        assertEquals(Verdict.DENIED_CONFIG, d.check(raw("::ffff:8.8.8.8")));
        assertEquals(Verdict.DENIED_CONFIG, d.check(raw("64:ff9b::808:808")));
        assertEquals(Verdict.ALLOWED, d.check(raw("8.8.8.8")));
    }

    /**
     * An IPv4 allow entry opens the IPv4 address and its mapped form (the same socket destination), never a form
     * a translator or tunnel would carry there: that takes an IPv6 allow entry naming the range.
     */
    @Test
    void anIpv4AllowEntryOpensOnlyTheMappedForm() {
        PeerPolicy p = new PeerPolicy(List.of("127.0.0.1/32", "10.0.0.0/8"), List.of(), List.of());
        assertEquals(Verdict.ALLOWED, p.check(raw("::ffff:127.0.0.1")));
        assertEquals(Verdict.ALLOWED, p.check(raw("::ffff:10.1.2.3")));
        for (String form : List.of("64:ff9b::7f00:1", "64:ff9b::a01:203", "::127.0.0.1", "::ffff:0:127.0.0.1",
                "64:ff9b:1:7f00:0:100::", "2002:7f00:1::1", "2001:0:4136:e378:8000:63bf:80ff:fffe")) {
            assertEquals(Verdict.DENIED_DEFAULT, p.check(raw(form)), form);
        }
    }

    @Test
    void anIpv6AllowEntryOpensExactlyTheRangeItNames() {
        PeerPolicy p = new PeerPolicy(List.of("64:ff9b::a00:0/120", "2002::/16"), List.of("10.0.0.7/32"), List.of());
        assertEquals(Verdict.ALLOWED, p.check(raw("64:ff9b::a00:5")), "NAT64 towards 10.0.0.0/24, as named");
        assertEquals(Verdict.DENIED_DEFAULT, p.check(raw("64:ff9b::a00:105")), "10.0.1.5 is outside the entry");
        assertEquals(Verdict.DENIED_DEFAULT, p.check(raw("10.0.0.5")), "the IPv4 address itself stays denied");
        assertEquals(Verdict.DENIED_CONFIG, p.check(raw("64:ff9b::a00:7")), "the deny list still wins");
        assertEquals(Verdict.ALLOWED, p.check(raw("2002:808:808::1")), "6to4 named by the operator");
    }

    @Test
    void ownListeningAddressesAreAlwaysDenied() throws Exception {
        PeerPolicy p = new PeerPolicy(List.of("127.0.0.0/8"), List.of(), List.of());
        p.ownAddresses(List.of(new InetSocketAddress("127.0.0.1", 3478), new InetSocketAddress("0.0.0.0", 5349)));
        assertEquals(Verdict.DENIED_OWN_ADDRESS, p.check(new InetSocketAddress("127.0.0.1", 3478)));
        assertEquals(Verdict.DENIED_OWN_ADDRESS, p.check(new InetSocketAddress("127.0.0.5", 5349)));
        assertEquals(Verdict.ALLOWED, p.check(new InetSocketAddress("127.0.0.1", 3479)));
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
