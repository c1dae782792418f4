package io.presence.turn.handler;

import io.presence.stun.AttributeType;
import io.presence.stun.Method;
import io.presence.stun.attr.AddressFamily;
import io.presence.stun.attr.ChannelNumber;
import io.presence.turn.TurnFixture;
import io.presence.turn.TurnFixture.Peer;
import io.presence.turn.TurnTestClient;
import io.presence.turn.TurnTestClient.Delivery;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.DatagramPacket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static io.presence.turn.TurnTestClient.code;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Refresh, CreatePermission, ChannelBind, Send/Data and ChannelData over real loopback sockets. */
class RelayTest {
    private TurnFixture f;

    @AfterEach
    void close() {
        if (f != null) {
            f.close();
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void sendAndDataIndicationsNeedAPermission() throws Exception {
        f = new TurnFixture();
        try (TurnTestClient c = f.client("room", "alice"); Peer peer = new Peer()) {
            assertEquals(0, code(c.allocate()));
            // Without a permission the datagram is dropped both ways.
            c.send(peer.address(), bytes("nope"));
            assertNull(peer.receive(200));
            peer.send(c.relay, bytes("nope"));
            assertNull(c.receiveData(200));
            assertEquals(0, c.createPermission(peer.address()));
            c.send(peer.address(), bytes("hello"));
            DatagramPacket got = peer.receive(1000);
            assertNotNull(got);
            assertArrayEquals(bytes("hello"), got.getData());
            assertEquals(c.relay, got.getSocketAddress(), "sent from the relayed address");
            peer.send(c.relay, bytes("back"));
            Delivery d = c.receiveData(1000);
            assertNotNull(d);
            assertEquals(peer.address(), d.peer());
            assertArrayEquals(bytes("back"), d.data());
            assertEquals(1.0, f.counter("turn.relayed.packets", "direction", "to_peer"));
            assertEquals(1.0, f.counter("turn.relayed.packets", "direction", "to_client"));
            assertEquals(5.0, f.counter("turn.relayed.bytes", "direction", "to_peer"));
            assertTrue(f.counter("turn.drops", "reason", "no_permission") >= 2);
        }
    }

    private double clientSockets() {
        return f.registry.get("stun.udp.client.sockets").gauge().value();
    }

    /**
     * An allocation that relays data gets a socket of the STUN port of its own for its client (StunPeer#connect), from
     * its first permission until it ends; the client sees nothing of it: every answer and every relayed datagram comes
     * from the server address it talks to (its socket is connected to that address: the kernel drops anything else).
     */
    @Test
    void aClientRelayingDataGetsASocketOfItsOwnUntilItsAllocationEnds() throws Exception {
        f = new TurnFixture();
        java.net.DatagramSocket socket = new java.net.DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        socket.connect(f.server.udpAddress());
        try (TurnTestClient c = new TurnTestClient(f.server.udpAddress(), socket).credentials(f.mint("room", "alice"));
             Peer peer = new Peer(); Peer other = new Peer()) {
            assertEquals(0, code(c.allocate()));
            assertEquals(0.0, clientSockets(), "an allocation that has relayed nothing has none");
            assertEquals(0, c.channelBind(0x4000, peer.address()));
            assertEquals(1.0, clientSockets());
            for (int i = 0; i < 5; i++) {
                c.sendChannel(0x4000, bytes("ping " + i));
                DatagramPacket got = peer.receive(1000);
                assertNotNull(got);
                assertArrayEquals(bytes("ping " + i), got.getData());
                peer.send(c.relay, bytes("pong " + i));
                Delivery d = c.receiveData(1000);
                assertNotNull(d);
                assertEquals(0x4000, d.channel());
                assertArrayEquals(bytes("pong " + i), d.data());
            }
            assertEquals(0, c.createPermission(other.address()), "requests are answered through it too");
            other.send(c.relay, bytes("data indication"));
            Delivery d = c.receiveData(1000);
            assertNotNull(d);
            assertEquals(other.address(), d.peer());
            assertEquals(1.0, clientSockets(), "one per allocation");
            assertEquals(0, c.refresh(0));
            TurnFixture.eventually(() -> clientSockets() == 0.0, "the client socket closed with its allocation");
            assertEquals(0, code(c.allocate()), "the same client port allocates again, through the shared socket");
            assertEquals(0, c.createPermission(peer.address()));
            assertEquals(1.0, clientSockets());
            f.server.control().revokeParticipant("room", "alice");
            TurnFixture.eventually(() -> clientSockets() == 0.0, "closed with a revoked allocation");
        }
    }

    @Test
    void createPermissionTakesEveryPeerAddressAndChecksEachOne() throws Exception {
        f = new TurnFixture();
        try (TurnTestClient c = f.client("room", "alice"); Peer p1 = new Peer(); Peer p2 = new Peer()) {
            assertEquals(437, c.createPermission(p1.address()), "no allocation yet");
            assertEquals(0, code(c.allocate()));
            assertEquals(400, code(c.request(Method.CREATE_PERMISSION, w -> { })), "no XOR-PEER-ADDRESS");
            // Both addresses in one request (127.0.0.1 is allowed in this fixture; the second IP is not).
            InetSocketAddress denied = new InetSocketAddress("10.0.0.1", 5000);
            assertEquals(403, c.createPermission(p1.address(), denied), "all or nothing");
            c.send(p1.address(), bytes("x"));
            assertNull(p1.receive(200), "the refused request installed nothing");
            assertEquals(0, c.createPermission(p1.address(), p2.address()));
            c.send(p2.address(), bytes("two"));
            assertArrayEquals(bytes("two"), p2.receive(1000).getData());
            // 443: an IPv6 peer for an IPv4 allocation.
            assertEquals(443, c.createPermission(new InetSocketAddress("2001:4860::1", 5000)));
        }
    }

    @Test
    void peerPolicyAtCreatePermissionChannelBindAndSend() throws Exception {
        f = new TurnFixture(b -> b.allowPeers(java.util.List.of()));
        try (TurnTestClient c = f.client("room", "alice")) {
            assertEquals(0, code(c.allocate()));
            for (String ip : new String[] {"127.0.0.1", "10.0.0.1", "169.254.169.254", "192.168.1.1",
                    "172.16.0.1", "100.64.0.1", "240.0.0.1"}) {
                assertEquals(403, c.createPermission(new InetSocketAddress(ip, 5000)), ip);
                assertEquals(403, c.channelBind(0x4001, new InetSocketAddress(ip, 5000)), ip);
            }
            assertTrue(f.counter("turn.peers.denied", "reason", "default_range") >= 14);
            // 0.0.0.0 (Linux delivers it to loopback), multicast and broadcast (the host receives them too) are this
            // host: refused as its own addresses, whatever the lists say.
            for (String ip : new String[] {"0.0.0.0", "224.0.0.1", "255.255.255.255"}) {
                assertEquals(403, c.createPermission(new InetSocketAddress(ip, 5000)), ip);
            }
            assertEquals(3.0, f.counter("turn.peers.denied", "reason", "own_address"));
        }
    }

    @Test
    void ownListeningAddressIsNeverAPeerAndSendsAreCheckedPerPacket() throws Exception {
        f = new TurnFixture();
        try (TurnTestClient c = f.client("room", "alice"); Peer peer = new Peer()) {
            assertEquals(0, code(c.allocate()));
            assertEquals(403, c.createPermission(f.server.udpAddress()), "the STUN port itself");
            assertEquals(1.0, f.counter("turn.peers.denied", "reason", "own_address"));
            // A permission is per IP: to 127.0.0.1 it exists now, yet a send to the server's own port is still
            // refused because the policy runs on every send.
            assertEquals(0, c.createPermission(peer.address()));
            c.send(f.server.udpAddress(), bytes("loop"));
            TurnFixture.eventually(() -> f.counter("turn.drops", "reason", "peer_denied") == 1.0, "dropped send");
        }
    }

    @Test
    void channelBindRulesAndChannelData() throws Exception {
        f = new TurnFixture();
        try (TurnTestClient c = f.client("room", "alice"); Peer p1 = new Peer(); Peer p2 = new Peer()) {
            assertEquals(0, code(c.allocate()));
            assertEquals(400, c.channelBind(0x3FFF, p1.address()), "below 0x4000");
            assertEquals(400, c.channelBind(0x8000, p1.address()), "above 0x7FFF (RFC 5766's range is accepted)");
            assertEquals(400, code(c.request(Method.CHANNEL_BIND, w -> ChannelNumber.write(w, 0x4000))),
                    "no XOR-PEER-ADDRESS");
            assertEquals(400, code(c.request(Method.CHANNEL_BIND,
                    w -> w.xorAddress(AttributeType.XOR_PEER_ADDRESS, p1.address()))), "no CHANNEL-NUMBER");
            assertEquals(0, c.channelBind(0x4000, p1.address()));
            assertEquals(0, c.channelBind(0x4000, p1.address()), "refreshing the same binding");
            assertEquals(400, c.channelBind(0x4000, p2.address()), "number bound to another address");
            assertEquals(400, c.channelBind(0x4001, p1.address()), "address bound to another number");
            assertEquals(0, c.channelBind(0x4FFF, p2.address()));
            // ChannelBind installed the permission too.
            c.sendChannel(0x4000, bytes("via channel"));
            DatagramPacket got = p1.receive(1000);
            assertArrayEquals(bytes("via channel"), got.getData());
            assertEquals(c.relay, got.getSocketAddress());
            p1.send(c.relay, bytes("reply"));
            Delivery d = c.receiveData(1000);
            assertEquals(0x4000, d.channel(), "bound peers answer as ChannelData");
            assertArrayEquals(bytes("reply"), d.data());
            c.sendChannel(0x4123, bytes("unbound"));
            TurnFixture.eventually(() -> f.counter("turn.drops", "reason", "no_channel") == 1.0, "unbound dropped");
            // With two XOR-PEER-ADDRESS, the first counts.
            assertEquals(0, code(c.request(Method.CHANNEL_BIND, w -> {
                ChannelNumber.write(w, 0x4002);
                w.xorAddress(AttributeType.XOR_PEER_ADDRESS, new InetSocketAddress("127.0.0.1", 7));
                w.xorAddress(AttributeType.XOR_PEER_ADDRESS, new InetSocketAddress("10.0.0.1", 7));
            })));
            assertEquals(3, f.server.control().stats().channels());
        }
    }

    @Test
    void strictRfc8656ChannelRange() throws Exception {
        f = new TurnFixture(b -> b.legacyChannelNumbers(false));
        try (TurnTestClient c = f.client("room", "alice"); Peer p1 = new Peer()) {
            assertEquals(0, code(c.allocate()));
            assertEquals(400, c.channelBind(0x5000, p1.address()), "above 0x4FFF");
            assertEquals(0, c.channelBind(0x4FFF, p1.address()));
        }
    }

    @Test
    void legacyChannelNumbersCarryData() throws Exception {
        f = new TurnFixture();
        try (TurnTestClient c = f.client("room", "alice"); Peer p1 = new Peer()) {
            assertEquals(0, code(c.allocate()));
            assertEquals(0, c.channelBind(0x7ABC, p1.address()));
            c.sendChannel(0x7ABC, bytes("legacy"));
            assertArrayEquals(bytes("legacy"), p1.receive(1000).getData());
            p1.send(c.relay, bytes("back"));
            assertEquals(0x7ABC, c.receiveData(1000).channel());
        }
    }

    @Test
    void refreshLifetimesAndDeletion() throws Exception {
        f = new TurnFixture();
        try (TurnTestClient c = f.client("room", "alice"); TurnTestClient other = f.client("room", "bob")) {
            assertEquals(437, c.refresh(600), "no allocation");
            assertEquals(0, code(c.allocate()));
            assertEquals(0, c.refresh(99_999));
            assertEquals(3600, c.lifetime, "capped at the maximum");
            assertEquals(0, c.refresh(30));
            assertEquals(600, c.lifetime, "raised to the default");
            assertEquals(443, code(c.request(Method.REFRESH, w -> AddressFamily.writeRequested(w, AddressFamily.IPV6))));
            // Another user's credentials on this 5-tuple: 441.
            var bob = f.mint("room", "bob");
            c.credentials(bob);
            assertEquals(441, c.refresh(600));
            c.credentials(f.mint("room", "alice"));
            assertEquals(0, c.refresh(0));
            assertEquals(0, c.lifetime);
            TurnFixture.eventually(() -> f.server.activeAllocations() == 0, "deleted");
            assertEquals(437, c.refresh(600), "gone");
            assertEquals(0, other.refresh(600) == 437 ? 0 : -1, "bob never allocated");
        }
    }

    @Test
    void lifetimesFollowTheClock() throws Exception {
        f = new TurnFixture();
        try (TurnTestClient c = f.client("room", "alice"); Peer p1 = new Peer(); Peer p2 = new Peer()) {
            assertEquals(0, code(c.allocate()));
            assertEquals(0, c.createPermission(p1.address()));
            assertEquals(0, c.channelBind(0x4000, p2.address()));
            assertEquals(1, f.server.control().stats().permissions(), "permissions are per IP: both peers are 127.0.0.1");
            // Permissions last 300 s: after that, data to and from p1 is dropped; the channel (600 s) still works.
            f.clock.advance(Duration.ofSeconds(301));
            c.send(p1.address(), bytes("late"));
            assertNull(p1.receive(200));
            c.sendChannel(0x4000, bytes("still bound"));
            assertNull(p2.receive(200), "the channel's permission lapsed with the others");
            assertEquals(0, c.refresh(600));
            assertEquals(0, c.channelBind(0x4000, p2.address()), "ChannelBind refreshes binding and permission");
            c.sendChannel(0x4000, bytes("again"));
            assertArrayEquals(bytes("again"), p2.receive(1000).getData());
            f.sweep();
            assertEquals(1, f.server.control().stats().permissions());
            // Channel binding lapses after 600 s; while cooling down (5 min) the number stays reserved.
            f.clock.advance(Duration.ofSeconds(599));
            assertEquals(0, c.refresh(600));
            f.clock.advance(Duration.ofSeconds(2));
            c.sendChannel(0x4000, bytes("expired"));
            assertNull(p2.receive(200));
            f.sweep();
            TurnFixture.eventually(() -> f.server.control().stats().channels() == 0, "channel swept");
            assertEquals(400, c.channelBind(0x4000, p1.address()), "cooling down: not rebindable elsewhere");
            assertEquals(0, c.channelBind(0x4000, p2.address()), "the same pair revives");
            // The allocation itself: 600 s without refresh.
            f.clock.advance(Duration.ofSeconds(601));
            f.sweep();
            TurnFixture.eventually(() -> f.server.activeAllocations() == 0, "allocation expired");
            assertEquals(437, c.refresh(600));
            assertEquals(1, f.registry.find("turn.allocation.lifetime").summary().count());
        }
    }
}
