package io.presence.turn;

import io.presence.stun.AttributeType;
import io.presence.stun.Method;
import io.presence.stun.attr.AddressFamily;
import io.presence.stun.attr.ChannelNumber;
import io.presence.stun.attr.RequestedTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static io.presence.turn.TurnTestClient.code;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The appliance's own host is not a peer: every port of every address of this host — loopback, the interfaces' and
 * their broadcast addresses, multicast, the relay's — is refused (the STUN port, a TCP or UDP service of the test, a free relay port), over IPv4, IPv6 and the
 * IPv6 forms that embed an IPv4 address, unless it is a live relay allocation of the asker's own room. An allow list
 * that opens everything ({@code 0.0.0.0/0}, {@code ::/0}) does not change that.
 */
class OwnHostPeersTest {
    private static final List<String> ALLOW_ALL = List.of("0.0.0.0/0", "::/0");
    private static final InetAddress V6_LOOPBACK = address("::1");
    private TurnFixture f;
    private final List<TurnTestClient> clients = new ArrayList<>();

    @AfterEach
    void close() {
        clients.forEach(TurnTestClient::close);
        if (f != null) {
            f.close();
        }
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** An IPv6 literal kept as IPv6 on the wire (Java turns {@code ::ffff:a.b.c.d} into IPv4 otherwise). */
    private static InetAddress v6Form(String literal) throws Exception {
        return Inet6Address.getByAddress(null, InetAddress.getByName(literal).getAddress().length == 16
                ? InetAddress.getByName(literal).getAddress() : mapped(InetAddress.getByName(literal)), -1);
    }

    private static byte[] mapped(InetAddress v4) {
        byte[] b = new byte[16];
        b[10] = (byte) 0xFF;
        b[11] = (byte) 0xFF;
        System.arraycopy(v4.getAddress(), 0, b, 12, 4);
        return b;
    }

    private TurnTestClient allocated(String room, String participant, boolean ipv6) throws Exception {
        TurnTestClient c = f.client(room, participant);
        clients.add(c);
        assertEquals(0, code(c.allocate(w -> {
            RequestedTransport.write(w, RequestedTransport.UDP);
            if (ipv6) {
                AddressFamily.writeRequested(w, AddressFamily.IPV6);
            }
        })));
        return c;
    }

    private static void assertRefused(TurnTestClient c, InetSocketAddress peer) throws Exception {
        assertEquals(403, c.createPermission(peer), "CreatePermission " + peer);
        assertEquals(403, code(c.request(Method.CHANNEL_BIND, w -> {
            ChannelNumber.write(w, 0x4100);
            w.xorAddress(AttributeType.XOR_PEER_ADDRESS, peer);
        })), "ChannelBind " + peer);
    }

    /** A port of the relay range where no allocation of the test lives. */
    private int freeRelayPort() {
        for (int port = TurnFixture.PORT_MAX; ; port--) {
            int p = port;
            if (clients.stream().noneMatch(c -> c.relay != null && c.relay.getPort() == p)) {
                return port;
            }
        }
    }

    /** This host's non-loopback addresses of one family, from the interface list. */
    private static List<InetAddress> interfaceAddresses(Class<? extends InetAddress> family) throws Exception {
        List<InetAddress> out = new ArrayList<>();
        for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            for (InetAddress a : Collections.list(nif.getInetAddresses())) {
                if (family.isInstance(a) && !a.isLoopbackAddress()) {
                    out.add(a);
                }
            }
        }
        return out;
    }

    @Test
    void ownIpv4PortsAreRefusedWhateverTheAllowListSays() throws Exception {
        f = new TurnFixture(b -> b.allowLoopbackPeers(false).allowPeers(ALLOW_ALL));
        InetAddress lo = InetAddress.getLoopbackAddress();
        try (DatagramSocket udpService = new DatagramSocket(new InetSocketAddress(lo, 0));
             ServerSocket tcpService = new ServerSocket(0, 1, lo)) {
            TurnTestClient alice = allocated("room", "alice", false);
            TurnTestClient bob = allocated("room", "bob", false);
            TurnTestClient carol = allocated("other", "carol", false);
            int udp = udpService.getLocalPort();
            List<InetSocketAddress> refused = new ArrayList<>(List.of(
                    f.server.udpAddress(), f.server.tcpAddress(),
                    new InetSocketAddress(lo, udp), new InetSocketAddress(lo, tcpService.getLocalPort()),
                    new InetSocketAddress("127.0.0.2", udp), new InetSocketAddress("0.0.0.0", udp),
                    new InetSocketAddress("224.0.0.1", udp), new InetSocketAddress("255.255.255.255", udp),
                    new InetSocketAddress(lo, freeRelayPort()),
                    new InetSocketAddress(v6Form("127.0.0.1"), udp), // ::ffff:127.0.0.1, IPv6 on the wire
                    new InetSocketAddress(v6Form("127.0.0.1"), f.server.udpAddress().getPort()),
                    carol.relay));
            for (InetAddress own : interfaceAddresses(Inet4Address.class)) {
                refused.add(new InetSocketAddress(own, udp));
                refused.add(new InetSocketAddress(own, 22));
            }
            for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                nif.getInterfaceAddresses().stream().filter(ia -> ia.getBroadcast() != null)
                        .forEach(ia -> refused.add(new InetSocketAddress(ia.getBroadcast(), udp)));
            }
            for (InetSocketAddress peer : refused) {
                assertRefused(alice, peer);
            }
            assertEquals(0, alice.createPermission(bob.relay), "a live relay allocation of the same room");
            // The permission is one for 127.0.0.1 (every port): still nothing goes to the host's other ports.
            byte[] data = "to a local service".getBytes(StandardCharsets.UTF_8);
            alice.send(new InetSocketAddress(lo, udp), data);
            alice.send(f.server.udpAddress(), data);
            udpService.setSoTimeout(300);
            DatagramPacket got = new DatagramPacket(new byte[100], 100);
            try {
                udpService.receive(got);
                throw new AssertionError("the local UDP service got a relayed datagram");
            } catch (SocketTimeoutException expected) {
                // nothing came
            }
            TurnFixture.eventually(() -> f.counter("turn.drops", "reason", "peer_denied") == 2.0, "both sends refused");
            assertTrue(f.counter("turn.peers.denied", "reason", "own_address") >= 2.0 * 8);
        }
    }

    @Test
    void ownIpv6PortsAndIpv4EmbeddingFormsAreRefused() throws Exception {
        f = new TurnFixture(b -> b.relayIpv6(V6_LOOPBACK).allowLoopbackPeers(false).allowPeers(ALLOW_ALL));
        try (DatagramSocket udpService = new DatagramSocket(new InetSocketAddress(V6_LOOPBACK, 0))) {
            TurnTestClient alice = allocated("room", "alice", true);
            TurnTestClient bob = allocated("room", "bob", true);
            TurnTestClient carol = allocated("other", "carol", true);
            int udp = udpService.getLocalPort();
            int stun = f.server.udpAddress().getPort();
            List<InetSocketAddress> refused = new ArrayList<>(List.of(
                    new InetSocketAddress(V6_LOOPBACK, udp), new InetSocketAddress(V6_LOOPBACK, stun),
                    new InetSocketAddress(address("::"), udp), new InetSocketAddress(address("ff02::1"), udp),
                    new InetSocketAddress(V6_LOOPBACK, freeRelayPort()),
                    new InetSocketAddress(address("::127.0.0.1"), stun), // IPv4-compatible
                    new InetSocketAddress(address("64:ff9b::7f00:1"), stun), // NAT64 of 127.0.0.1
                    new InetSocketAddress(address("2002:7f00:1::1"), stun), // 6to4 of 127.0.0.1
                    carol.relay));
            for (InetAddress own : interfaceAddresses(Inet6Address.class)) {
                refused.add(new InetSocketAddress(own, udp));
            }
            for (InetAddress own : interfaceAddresses(Inet4Address.class)) {
                refused.add(new InetSocketAddress(address("64:ff9b::" + own.getHostAddress()), udp));
            }
            for (InetSocketAddress peer : refused) {
                assertRefused(alice, peer);
            }
            assertEquals(0, alice.channelBind(0x4000, bob.relay), "a live relay allocation of the same room");
            alice.send(new InetSocketAddress(V6_LOOPBACK, udp), "to a local service".getBytes(StandardCharsets.UTF_8));
            udpService.setSoTimeout(300);
            try {
                udpService.receive(new DatagramPacket(new byte[100], 100));
                throw new AssertionError("the local UDP service got a relayed datagram");
            } catch (SocketTimeoutException expected) {
                // nothing came
            }
        }
    }
}
