package io.presence.turn.allocation;

import io.presence.turn.allocation.OwnHost.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which addresses are this host's, in every form; decisions and reasons in the table. */
class OwnHostTest {
    private static final int MIN = 49152;
    private static final int MAX = 65535;

    private static OwnHost host(boolean loopbackPeers) throws Exception {
        OwnHost h = new OwnHost(loopbackPeers, MIN, MAX);
        h.addresses(List.of(ip("192.0.2.2"), ip("fd00::2"), ip("fe80::fc:ff:fe00:1")),
                List.of(ip("10.1.2.3"), ip("198.51.100.7"), ip("2001:db8::7")));
        return h;
    }

    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }

    /** The literal as IPv6 bytes even for ::ffff:a.b.c.d (Java makes that an IPv4 address otherwise). */
    private static InetAddress v6(String literal) throws Exception {
        InetAddress a = ip(literal);
        if (a.getAddress().length == 16) {
            return a;
        }
        byte[] b = new byte[16];
        b[10] = (byte) 0xFF;
        b[11] = (byte) 0xFF;
        System.arraycopy(a.getAddress(), 0, b, 12, 4);
        return Inet6Address.getByAddress(null, b, -1);
    }

    @ParameterizedTest(name = "{0} → {1} ({2})")
    @CsvSource(delimiter = '|', value = {
            "192.0.2.2            | OWN       | an interface address",
            "fd00::2              | OWN       | an interface address, IPv6",
            "fe80::fc:ff:fe00:1   | OWN       | a link-local interface address",
            "10.1.2.3             | OWN       | the relay's bind address",
            "198.51.100.7         | OWN       | the advertised (external) relay address",
            "2001:db8::7          | OWN       | the IPv6 relay address",
            "127.0.0.1            | OWN       | loopback",
            "127.3.2.1            | OWN       | all of 127/8 is loopback on Linux",
            "::1                  | OWN       | IPv6 loopback",
            "0.0.0.0              | OWN       | 'this host' (RFC 1122); Linux connects it to loopback",
            "0.1.2.3              | OWN       | 0/8 is 'this network'",
            "::                   | OWN       | unspecified; Linux connects it to loopback",
            "::ffff:127.0.0.1     | OWN       | IPv4-mapped loopback",
            "::ffff:192.0.2.2     | OWN       | IPv4-mapped interface address",
            "::127.0.0.1          | OWN       | IPv4-compatible loopback",
            "::198.51.100.7       | OWN       | IPv4-compatible relay address",
            "64:ff9b::7f00:1      | OWN       | NAT64 of loopback",
            "64:ff9b::c000:202    | OWN       | NAT64 of an interface address",
            "2002:c633:6407::1    | OWN       | 6to4 of the advertised relay address",
            "2002:7f00:1::        | OWN       | 6to4 of loopback",
            "255.255.255.255      | OWN       | limited broadcast: this host gets it too",
            "224.0.0.1            | OWN       | all-hosts multicast: this host is a member",
            "239.1.2.3            | OWN       | multicast is looped back to this host",
            "ff02::1              | OWN       | IPv6 all-nodes multicast",
            "ff05::1:3            | OWN       | IPv6 multicast",
            "::ffff:224.0.0.1     | OWN       | IPv4-mapped multicast",
            "192.0.2.3            | ELSEWHERE | a neighbour on the interface's network",
            "223.255.255.255      | ELSEWHERE | the last unicast address below multicast",
            "240.0.0.1            | ELSEWHERE | reserved (the default deny list's business, not this host)",
            "8.8.8.8              | ELSEWHERE | another host",
            "2001:db8::8          | ELSEWHERE | another IPv6 host",
            "::ffff:8.8.8.8       | ELSEWHERE | IPv4-mapped other host",
            "64:ff9b::808:808     | ELSEWHERE | NAT64 of another host",
    })
    void kinds(String literal, Kind expected, String why) throws Exception {
        assertEquals(expected, host(false).kind(v6(literal)), why);
        if (ip(literal).getAddress().length == 4) {
            assertEquals(expected, host(false).kind(ip(literal)), why + " (as IPv4)");
        }
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', value = {
            "127.0.0.1        | LOOPBACK_PEER",
            "127.0.0.2        | LOOPBACK_PEER",
            "::1              | LOOPBACK_PEER",
            "::ffff:127.0.0.1 | LOOPBACK_PEER",
            "192.0.2.2        | OWN",
            "0.0.0.0          | OWN",
            "::               | OWN",
            "8.8.8.8          | ELSEWHERE",
    })
    void loopbackPeersOpenLoopbackOnly(String literal, Kind expected) throws Exception {
        assertEquals(expected, host(true).kind(v6(literal)));
    }

    @Test
    void relayAddressesAreTheRelayIpsOnRelayPorts() throws Exception {
        OwnHost h = host(false);
        assertTrue(h.relayAddress(new InetSocketAddress("198.51.100.7", MIN)));
        assertTrue(h.relayAddress(new InetSocketAddress("10.1.2.3", MAX)));
        assertTrue(h.relayAddress(new InetSocketAddress("2001:db8::7", 50000)));
        assertTrue(h.relayAddress(new InetSocketAddress(v6("::ffff:198.51.100.7"), 50000)));
        assertTrue(h.relayAddress(new InetSocketAddress(ip("64:ff9b::c633:6407"), 50000)), "NAT64 form");
        assertFalse(h.relayAddress(new InetSocketAddress("198.51.100.7", 3478)), "the STUN port");
        assertFalse(h.relayAddress(new InetSocketAddress("192.0.2.2", 50000)), "an interface, not the relay's");
        assertFalse(h.relayAddress(new InetSocketAddress("8.8.8.8", 50000)));
    }

    @Test
    void theInterfaceListHasLoopbackAndEveryBroadcastAddress() throws Exception {
        List<InetAddress> all = OwnHost.interfaceAddresses();
        assertTrue(all.stream().anyMatch(InetAddress::isLoopbackAddress));
        for (java.net.NetworkInterface nif : java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())) {
            for (java.net.InterfaceAddress ia : nif.getInterfaceAddresses()) {
                if (ia.getBroadcast() != null) {
                    assertTrue(all.contains(ia.getBroadcast()), ia.toString());
                }
            }
        }
    }
}
