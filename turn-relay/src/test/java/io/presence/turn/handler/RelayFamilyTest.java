package io.presence.turn.handler;

import io.presence.stun.StunMessageWriter;
import io.presence.stun.attr.AddressFamily;
import io.presence.stun.attr.RequestedTransport;
import io.presence.stun.server.StunSettings;
import io.presence.turn.TurnFixture;
import io.presence.turn.TurnTestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import static io.presence.turn.TurnTestClient.code;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** RFC 6156: an allocation of the family asked for, when the relay has an address of it; IPv4 when none is asked. */
@Timeout(30)
class RelayFamilyTest {
    private TurnFixture f;

    @AfterEach
    void close() {
        if (f != null) {
            f.close();
        }
    }

    private static Consumer<StunMessageWriter> allocate(int family) {
        return w -> {
            RequestedTransport.write(w, RequestedTransport.UDP);
            if (family != 0) {
                AddressFamily.writeRequested(w, family);
            }
        };
    }

    @Test
    void aListenerOnAnIpv6AddressRelaysIpv6WithoutConfiguration() throws Exception {
        f = new TurnFixture(b -> b.listener(StunSettings.loopbackEphemeral().withBind("::1", 0)));
        try (TurnTestClient c = f.client("room", "alice")) {
            assertEquals(0, code(c.allocate(allocate(AddressFamily.IPV6))));
            assertEquals(InetAddress.getByName("::1"), c.relay.getAddress());
        }
        try (TurnTestClient c = f.client("room", "bob")) {
            assertEquals(0, code(c.allocate(allocate(0))));
            assertInstanceOf(Inet4Address.class, c.relay.getAddress(), "an IPv6 client that does not ask gets IPv4");
        }
    }

    @Test
    void anIpv6AllocationGets440WhenTheRelayHasNoIpv6Address() throws Exception {
        f = new TurnFixture(); // listener on 127.0.0.1, no turn.relayIpv6
        try (TurnTestClient c = f.client("room", "alice")) {
            assertEquals(440, code(c.allocate(allocate(AddressFamily.IPV6))));
            assertEquals(0, code(c.allocate(allocate(AddressFamily.IPV4))));
        }
    }

    @Test
    void onEveryInterfaceAnIpv6ClientReachesTheRelayOverUdpAndGetsIpv4UnlessItAsks() throws Exception {
        InetAddress loopback6 = ip("::1");
        f = new TurnFixture(b -> b.listener(StunSettings.defaults().withBind(StunSettings.DEFAULT_BIND_HOST, 0))
                .relayIpv6(loopback6));
        InetSocketAddress server = new InetSocketAddress("::1", f.server.udpAddress().getPort());
        try (TurnTestClient c = new TurnTestClient(server, new DatagramSocket(new InetSocketAddress("::1", 0)))
                .credentials(f.mint("room", "alice"))) {
            assertEquals(0, code(c.allocate(allocate(0))));
            assertInstanceOf(Inet4Address.class, c.relay.getAddress());
        }
        try (TurnTestClient c = new TurnTestClient(server, new DatagramSocket(new InetSocketAddress("::1", 0)))
                .credentials(f.mint("room", "bob"))) {
            assertEquals(0, code(c.allocate(allocate(AddressFamily.IPV6))));
            assertInstanceOf(Inet6Address.class, c.relay.getAddress());
        }
    }

    @Test
    void onEveryInterfaceTheDefaultIpv6RelayIsTheFirstGlobalAddressOfTheHost() throws Exception {
        Optional<InetAddress> any4 = Optional.of(ip("0.0.0.0"));
        assertEquals(Optional.of(ip("2001:db8::5")), RelayAddresses.defaultIpv6(any4,
                ips("10.0.0.1", "fe80::1", "fd00::2", "2001:db8::5")), "global unicast before unique local");
        assertEquals(Optional.of(ip("fd00::2")), RelayAddresses.defaultIpv6(Optional.of(ip("::")),
                ips("fe80::1", "fd00::2")));
        assertEquals(Optional.empty(), RelayAddresses.defaultIpv6(any4,
                ips("fe80::1", "2002:c000:204::1", "2001:0:4136:e378::1", "64:ff9b::a00:1", "10.0.0.1")),
                "link-local, 6to4, Teredo and NAT64 addresses are not relay addresses");
        assertEquals(Optional.empty(), RelayAddresses.defaultIpv6(Optional.of(ip("127.0.0.1")), ips("2001:db8::5")),
                "a listener on one IPv4 address: no IPv6 relay unless configured");
        assertEquals(Optional.of(ip("2001:db8::9")), RelayAddresses.defaultIpv6(Optional.of(ip("2001:db8::9")),
                ips("2001:db8::5")));
    }

    private static InetAddress ip(String s) throws UnknownHostException {
        return InetAddress.getByName(s);
    }

    private static List<InetAddress> ips(String... s) {
        return Arrays.stream(s).map(a -> {
            try {
                return ip(a);
            } catch (UnknownHostException e) {
                throw new AssertionError(e);
            }
        }).toList();
    }
}
