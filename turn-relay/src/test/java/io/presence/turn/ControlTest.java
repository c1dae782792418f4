package io.presence.turn;

import io.presence.stun.AttributeType;
import io.presence.stun.Method;
import io.presence.turn.TurnFixture.Peer;
import io.presence.turn.TurnTestClient.Delivery;
import io.presence.turn.config.RoomPolicy;
import io.presence.turn.config.TurnSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static io.presence.turn.TurnTestClient.code;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The in-process control API: strict expiry, revocation, room policy and hand-off, quotas, draining. */
class ControlTest {
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
    void strictExpiryOnEveryRequestAndLifetimeCappedByCredentials() throws Exception {
        f = new TurnFixture();
        try (TurnTestClient c = new TurnTestClient(f.server.udpAddress()); Peer peer = new Peer()) {
            c.credentials(f.server.control().mint("room", "alice", Duration.ofSeconds(120)));
            assertEquals(0, code(c.allocate()));
            assertTrue(c.lifetime <= 121, "allocation lifetime " + c.lifetime + " capped by the credential");
            assertEquals(0, c.refresh(600));
            assertTrue(c.lifetime <= 121, "not refreshed past the credential");
            f.clock.advance(Duration.ofSeconds(121));
            assertEquals(401, c.refresh(600));
            assertEquals(401, c.createPermission(peer.address()));
            assertEquals(401, c.channelBind(0x4000, peer.address()));
            assertTrue(f.counter("turn.auth.failures", "reason", "expired") >= 3);
            f.sweep();
            TurnFixture.eventually(() -> f.server.activeAllocations() == 0, "expired with its credentials");
        }
    }

    /** Signaling asks before it forwards a relay candidate: only a live allocation of the same room is one. */
    @Test
    void isRoomAllocationAnswersOnlyForALiveAllocationOfThatRoom() throws Exception {
        f = new TurnFixture();
        RelayControl control = f.server.control();
        try (TurnTestClient a = f.client("room", "alice"); TurnTestClient other = f.client("other", "eve")) {
            assertEquals(0, code(a.allocate()));
            assertEquals(0, code(other.allocate()));
            InetSocketAddress relayed = a.relay;
            assertTrue(control.isRoomAllocation("room", relayed));
            assertFalse(control.isRoomAllocation("other", relayed), "another room's allocation");
            assertFalse(control.isRoomAllocation("room", other.relay), "an allocation of another room");
            int free = relayed.getPort() == TurnFixture.PORT_MAX ? relayed.getPort() - 1 : relayed.getPort() + 1;
            if (free == other.relay.getPort()) {
                free = free == TurnFixture.PORT_MAX ? free - 2 : free + 1;
            }
            assertFalse(control.isRoomAllocation("room", new InetSocketAddress(relayed.getAddress(), free)));
            assertFalse(control.isRoomAllocation("room", new InetSocketAddress("192.0.2.1", relayed.getPort())),
                    "the right port on another address");
            control.revokeParticipant("room", "alice");
            TurnFixture.eventually(() -> !control.isRoomAllocation("room", relayed), "gone with the allocation");
        }
    }

    @Test
    void revokingAParticipantTearsDownItsAllocationsAndRefusesItsCredentials() throws Exception {
        f = new TurnFixture();
        try (TurnTestClient a = f.client("room", "alice"); TurnTestClient a2 = f.client("room", "alice");
             TurnTestClient b = f.client("room", "bob"); Peer peer = new Peer()) {
            assertEquals(0, code(a.allocate()));
            assertEquals(0, code(a2.allocate()));
            assertEquals(0, code(b.allocate()));
            assertEquals(0, a.createPermission(peer.address()));
            assertEquals(2, f.server.control().revokeParticipant("room", "alice"));
            TurnFixture.eventually(() -> f.server.activeAllocations() == 1, "alice's two allocations gone");
            a.send(peer.address(), bytes("after revocation"));
            assertNull(peer.receive(200));
            assertEquals(401, a.refresh(600));
            assertEquals(401, code(a.allocate()), "a new Allocate with the revoked credentials");
            assertTrue(f.counter("turn.auth.failures", "reason", "revoked") >= 2);
            assertEquals(0, b.refresh(600), "bob is untouched");
            assertThrows(IllegalStateException.class, () -> f.server.control().mint("room", "alice", Duration.ofMinutes(5)));
            // A new participant id for the re-admitted user works.
            a.credentials(f.server.control().mint("room", "alice-2", Duration.ofMinutes(5)));
            assertEquals(0, code(a.allocate()));
        }
    }

    @Test
    void secretRotationOverTheWire() throws Exception {
        f = new TurnFixture(b -> b.secrets(List.of("new-secret", "old-secret")));
        var old = new io.presence.turn.auth.RestCredentials(List.of("old-secret"), "presence", Duration.ofHours(1), f.clock)
                .mint("room", "alice", Duration.ofMinutes(10));
        var unknown = new io.presence.turn.auth.RestCredentials(List.of("gone"), "presence", Duration.ofHours(1), f.clock)
                .mint("room", "bob", Duration.ofMinutes(10));
        try (TurnTestClient a = new TurnTestClient(f.server.udpAddress()).credentials(old);
             TurnTestClient b = new TurnTestClient(f.server.udpAddress()).credentials(unknown);
             TurnTestClient c = f.client("room", "carol")) {
            assertEquals(0, code(a.allocate()), "credentials of the previous secret still work");
            assertEquals(401, code(b.allocate()), "a secret not in the list does not");
            assertEquals(0, code(c.allocate()), "new credentials are minted with the first secret");
            assertEquals(io.presence.turn.auth.RestCredentials.password("new-secret".getBytes(),
                    f.mint("room", "dave").username()), f.mint("room", "dave").password());
        }
    }

    @Test
    void revokingARoom() throws Exception {
        f = new TurnFixture();
        try (TurnTestClient a = f.client("room", "alice"); TurnTestClient b = f.client("room", "bob");
             TurnTestClient c = f.client("other", "carol")) {
            assertEquals(0, code(a.allocate()));
            assertEquals(0, code(b.allocate()));
            assertEquals(0, code(c.allocate()));
            assertEquals(2, f.server.control().revokeRoom("room"));
            TurnFixture.eventually(() -> f.server.activeAllocations() == 1, "the room's allocations gone");
            assertEquals(401, a.refresh(600));
            assertEquals(401, b.refresh(600));
            assertEquals(0, c.refresh(600));
        }
    }

    @Test
    void twoClientsOfARoomRelayThroughThisServerWithoutAnAllowListByHandOff() throws Exception {
        f = new TurnFixture(b -> b.allowPeers(List.of()));
        try (TurnTestClient a = f.client("room", "alice"); TurnTestClient b = f.client("room", "bob")) {
            assertEquals(0, code(a.allocate()));
            assertEquals(0, code(b.allocate()));
            // 127.0.0.1 is in the default deny list, but a live relayed address of this server is a legitimate peer.
            assertEquals(0, a.channelBind(0x4000, b.relay));
            assertEquals(0, b.createPermission(a.relay));
            a.sendChannel(0x4000, bytes("to bob"));
            Delivery d = b.receiveData(1000);
            assertNotNull(d);
            assertEquals(a.relay, d.peer(), "bob sees alice's relayed address as the source");
            assertArrayEquals(bytes("to bob"), d.data());
            assertEquals(0, b.channelBind(0x4001, a.relay));
            b.send(a.relay, bytes("to alice"));
            Delivery back = a.receiveData(1000);
            assertEquals(0x4000, back.channel(), "alice has a channel to bob: ChannelData");
            assertArrayEquals(bytes("to alice"), back.data());
            b.sendChannel(0x4001, bytes("again"));
            assertArrayEquals(bytes("again"), a.receiveData(1000).data());
            assertEquals(3.0, f.counter("turn.handoffs"));
            // A port next to the relayed one is not an allocation: still denied.
            assertEquals(403, a.createPermission(new InetSocketAddress(b.relay.getAddress(), 9)) == 0 ? -1 : 403);
        }
    }

    @Test
    void handOffBetweenAllocationsOnDifferentEventLoops() throws Exception {
        // The sender's loop delivers to the receiver's client itself (the receiver's published tables + the sender's own
        // socket of the shared UDP port): the same framing, source address and permission checks as on one loop.
        f = new TurnFixture(b -> b.allowPeers(List.of()));
        List<TurnTestClient> clients = new java.util.ArrayList<>();
        try {
            TurnTestClient a = null;
            TurnTestClient b = null;
            for (int i = 0; i < 16 && b == null; i++) {
                TurnTestClient c = f.client("room", "p" + i);
                clients.add(c);
                assertEquals(0, code(c.allocate()));
                if (a == null) {
                    a = c;
                } else if (f.server.allocationLoop(c.relay) != f.server.allocationLoop(a.relay)) {
                    b = c;
                }
            }
            assertNotNull(b, "the kernel spread 16 clients over the two UDP sockets (and loops)");
            assertEquals(0, a.createPermission(b.relay));
            a.send(b.relay, bytes("unpermitted"));
            TurnFixture.eventually(() -> f.counter("turn.drops", "reason", "no_permission") == 1.0,
                    "dropped: bob has no permission for alice yet");
            assertEquals(0, b.createPermission(a.relay));
            a.send(b.relay, bytes("data indication"));
            Delivery d = b.receiveData(1000);
            assertNotNull(d);
            assertEquals(a.relay, d.peer(), "bob sees alice's relayed address as the source");
            assertEquals(0, d.channel(), "no channel yet: a Data indication");
            assertArrayEquals(bytes("data indication"), d.data());
            assertEquals(0, b.channelBind(0x4001, a.relay));
            a.send(b.relay, bytes("channel data"));
            Delivery cd = b.receiveData(1000);
            assertEquals(0x4001, cd.channel(), "bob's new channel is seen from alice's loop at once");
            assertArrayEquals(bytes("channel data"), cd.data());
            // ChannelData to ChannelData: the header alice's frame came with is rewritten in place with bob's
            // channel and sent as it is (odd length: no padding either way over UDP).
            assertEquals(0, a.channelBind(0x4ABC, b.relay));
            a.sendChannel(0x4ABC, bytes("from alice's channel!"));
            Delivery cc = b.receiveData(1000);
            assertNotNull(cc);
            assertEquals(0x4001, cc.channel(), "bob's channel number, not alice's");
            assertArrayEquals(bytes("from alice's channel!"), cc.data());
            assertEquals(0, b.refresh(0));
            a.send(b.relay, bytes("gone"));
            assertNull(b.receiveData(200));
            assertEquals(4.0, f.counter("turn.handoffs"), "the refused one was handed off too, then dropped");
        } finally {
            clients.forEach(TurnTestClient::close);
        }
    }

    @Test
    void handOffStillNeedsTheReceiversPermission() throws Exception {
        f = new TurnFixture();
        try (TurnTestClient a = f.client("room", "alice"); TurnTestClient b = f.client("room", "bob")) {
            assertEquals(0, code(a.allocate()));
            assertEquals(0, code(b.allocate()));
            assertEquals(0, a.createPermission(b.relay));
            a.send(b.relay, bytes("unwanted"));
            assertNull(b.receiveData(200), "bob never permitted alice");
            TurnFixture.eventually(() -> f.counter("turn.drops", "reason", "no_permission") == 1.0, "dropped");
        }
    }

    @Test
    void relayOnlyRoomsOnlyReachTheirOwnAllocations() throws Exception {
        f = new TurnFixture();
        f.server.control().setRoomPolicy("secret", RoomPolicy.RELAY_ONLY);
        try (TurnTestClient a = f.client("secret", "alice"); TurnTestClient b = f.client("secret", "bob");
             TurnTestClient c = f.client("open", "carol"); Peer echo = new Peer()) {
            assertEquals(0, code(a.allocate()));
            assertEquals(0, code(b.allocate()));
            assertEquals(0, code(c.allocate()));
            assertEquals(0, a.createPermission(b.relay), "same room");
            assertEquals(403, a.createPermission(echo.address()), "an outside peer, although allow-listed");
            assertEquals(403, a.createPermission(c.relay), "another room's allocation");
            assertEquals(403, a.channelBind(0x4000, c.relay));
            // Nor may another room's client, open or not, reach a relay-only room's allocation: the permission would
            // let it send to her (isolation holds inbound too).
            assertEquals(403, c.createPermission(a.relay), "an open room's client may not reach into a relay-only room");
            assertTrue(f.counter("turn.peers.denied", "reason", "room_scope") >= 4);
            // The policy can change live: opened, the outside peer becomes reachable.
            f.server.control().setRoomPolicy("secret", RoomPolicy.OPEN);
            assertEquals(0, a.createPermission(echo.address()));
            a.send(echo.address(), bytes("open now"));
            assertArrayEquals(bytes("open now"), echo.receive(1000).getData());
            // Closed again: the existing permission no longer carries traffic outside the room.
            f.server.control().setRoomPolicy("secret", RoomPolicy.RELAY_ONLY);
            a.send(echo.address(), bytes("closed"));
            assertNull(echo.receive(200));
        }
    }

    @Test
    void allocationQuotas() throws Exception {
        f = new TurnFixture(b -> b.quotas(new TurnSettings.Quotas(2, 3, 4, 2, 2, 0, 0)));
        TurnTestClient[] cs = {f.client("r1", "p1"), f.client("r1", "p1"), f.client("r1", "p1"), f.client("r1", "p2"),
                f.client("r1", "p3"), f.client("r2", "p1"), f.client("r3", "p1")};
        try (Peer peer = new Peer()) {
            assertEquals(0, code(cs[0].allocate()));
            assertEquals(0, code(cs[1].allocate()));
            assertEquals(486, code(cs[2].allocate()), "per participant");
            assertEquals(0, code(cs[3].allocate()));
            assertEquals(486, code(cs[4].allocate()), "per room");
            assertEquals(0, code(cs[5].allocate()));
            assertEquals(486, code(cs[6].allocate()), "in total");
            assertEquals(3.0, f.counter("turn.allocations.failed", "reason", "quota"));
            // Permissions and channels per allocation: 2 each, then 508.
            TurnTestClient c = cs[0];
            assertEquals(0, c.createPermission(peer.address(), new InetSocketAddress("8.8.8.8", 1)));
            assertEquals(508, c.createPermission(new InetSocketAddress("8.8.4.4", 1)));
            assertEquals(0, c.createPermission(peer.address()), "refreshing an existing one is fine");
            assertEquals(0, c.channelBind(0x4000, peer.address()));
            assertEquals(0, c.channelBind(0x4001, new InetSocketAddress("8.8.8.8", 2)));
            assertEquals(508, c.channelBind(0x4002, new InetSocketAddress("8.8.8.8", 3)));
            // Deleting one frees its slot.
            assertEquals(0, cs[1].refresh(0));
            TurnFixture.eventually(() -> f.server.activeAllocations() == 3, "deleted");
            assertEquals(0, code(cs[6].allocate()));
        } finally {
            for (TurnTestClient c : cs) {
                c.close();
            }
        }
    }

    @Test
    void portExhaustionAnswers508AndRecovers() throws Exception {
        f = new TurnFixture(b -> b.relayPorts(TurnFixture.PORT_MIN, TurnFixture.PORT_MIN + 1));
        try (TurnTestClient a = f.client("r", "a"); TurnTestClient b = f.client("r", "b");
             TurnTestClient c = f.client("r", "c")) {
            assertEquals(0, code(a.allocate()));
            assertEquals(0, code(b.allocate()));
            assertEquals(508, code(c.allocate()));
            assertEquals(1.0, f.counter("turn.allocations.failed", "reason", "capacity"));
            assertEquals(2, f.server.control().stats().relayPortsInUse());
            assertEquals(0, a.refresh(0));
            TurnFixture.eventually(() -> f.server.activeAllocations() == 1, "deleted");
            // The deleted allocation's socket is parked for reuse; with the range exhausted it is taken at once.
            assertEquals(0, code(c.allocate()), () -> "stats " + f.server.control().stats() + " failed "
                    + f.registry.find("turn.allocations.failed").counters().stream()
                    .map(x -> x.getId().getTag("reason") + ":" + x.count()).toList());
            assertEquals(a.relay, c.relay, "the parked relay socket was reused");
            assertEquals(2, f.server.control().stats().relayPortsInUse());
        }
    }

    @Test
    void bandwidthPerAllocationDropsTheExcess() throws Exception {
        f = new TurnFixture(b -> b.quotas(new TurnSettings.Quotas(5, 5, 5, 5, 5, 1000, 0)));
        try (TurnTestClient c = f.client("r", "a"); Peer peer = new Peer()) {
            assertEquals(0, code(c.allocate()));
            assertEquals(0, c.channelBind(0x4000, peer.address()));
            byte[] chunk = new byte[300];
            for (int i = 0; i < 6; i++) {
                c.sendChannel(0x4000, chunk);
            }
            int got = 0;
            while (peer.receive(200) != null) {
                got++;
            }
            assertEquals(3, got, "1000 bytes of budget: three 300-byte datagrams");
            assertEquals(3.0, f.counter("turn.drops", "reason", "bandwidth"));
        }
    }

    @Test
    void stopAcceptingAndClose() throws Exception {
        f = new TurnFixture();
        try (TurnTestClient a = f.client("r", "a"); TurnTestClient b = f.client("r", "b")) {
            assertEquals(0, code(a.allocate()));
            f.server.stopAccepting();
            assertEquals(508, code(b.allocate()));
            assertEquals(0, a.refresh(600), "existing allocations keep working");
            assertTrue(!f.server.control().stats().accepting());
            InetSocketAddress relay = a.relay;
            f.server.close();
            assertEquals(0, f.server.activeAllocations());
            f.server.close(); // idempotent
            // The relay port is free again.
            try (java.net.DatagramSocket s = new java.net.DatagramSocket(relay)) {
                assertEquals(relay.getPort(), s.getLocalPort());
            }
        }
    }

    @Test
    void malformedSettingsStopTheStart() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TurnSettings.builder().allowPeers(List.of("10.0.0.0/8", "10.0.0.0/99")).build());
        assertTrue(e.getMessage().contains("10.0.0.0/99"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TurnSettings.builder().relayPorts(5000, 4000).build());
        assertThrows(IllegalArgumentException.class,
                () -> TurnSettings.builder().allocationMaxLifetime(Duration.ofSeconds(10)).build());
        assertThrows(IllegalArgumentException.class, () -> new TurnServer(TurnSettings.defaults(),
                null, new io.micrometer.core.instrument.simple.SimpleMeterRegistry(), java.time.Clock.systemUTC()),
                "no secret");
        assertEquals(Duration.ofMinutes(10), TurnSettings.defaults().allocationDefaultLifetime());
        assertEquals(49152, TurnSettings.defaults().relayPortMin());
        assertEquals(65535, TurnSettings.defaults().relayPortMax());
    }

    @Test
    void countersAreUnlabelledByRoomOrUser() throws Exception {
        f = new TurnFixture();
        try (TurnTestClient a = f.client("room-x", "alice-y")) {
            assertEquals(0, code(a.allocate()));
            a.request(Method.REFRESH, w -> w.u32(AttributeType.LIFETIME, 600));
        }
        for (var m : f.registry.getMeters()) {
            for (var t : m.getId().getTags()) {
                assertTrue(!t.getValue().contains("room-x") && !t.getValue().contains("alice-y"), m.getId().toString());
            }
            // (SimpleMeterRegistry adds an undescribed ".histogram" gauge for SLO buckets; Prometheus does not.)
            if (m.getId().getName().startsWith("turn.") && !m.getId().getName().endsWith(".histogram")) {
                assertNotNull(m.getId().getDescription(), m.getId().getName());
            }
        }
    }
}
