package io.presence.turn;

import io.presence.stun.AttributeType;
import io.presence.stun.Method;
import io.presence.stun.StunAttribute;
import io.presence.stun.StunMessage;
import io.presence.stun.attr.ChannelNumber;
import io.presence.turn.TurnTestClient.Delivery;
import io.presence.turn.config.RoomPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static io.presence.turn.TurnTestClient.code;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * A relay-only room receives nothing from outside it, on every path a datagram can take into its allocation:
 * a Send indication or ChannelData of another room's allocation (handed over in process, on the receiver's event
 * loop or another), and a datagram through the kernel from the relay's own address. All allocations share the relay
 * IP and permissions are per IP, so Ann's permission for Bob's relay address is one for every allocation's: the
 * receiving side's room must be checked, not only the sender's.
 *
 * <p>The attacker's room is either relay-only itself or a room the signaling never configured (open by default).
 */
class InboundIsolationTest {
    private static final String SECRET_ROOM = "secret";
    private TurnFixture f;
    private final List<TurnTestClient> clients = new ArrayList<>();

    @AfterEach
    void close() {
        clients.forEach(TurnTestClient::close);
        if (f != null) {
            f.close();
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private TurnTestClient allocated(String room, String participant) throws Exception {
        TurnTestClient c = f.client(room, participant);
        clients.add(c);
        assertEquals(0, code(c.allocate()));
        return c;
    }

    /** Ann and Bob of the relay-only room, in a call: each has a permission (and a channel) for the other. */
    private TurnTestClient[] call() throws Exception {
        f.server.control().setRoomPolicy(SECRET_ROOM, RoomPolicy.RELAY_ONLY);
        TurnTestClient ann = allocated(SECRET_ROOM, "ann");
        TurnTestClient bob = allocated(SECRET_ROOM, "bob");
        assertEquals(0, ann.channelBind(0x4000, bob.relay));
        assertEquals(0, bob.channelBind(0x4000, ann.relay));
        bob.sendChannel(0x4000, bytes("hello ann"));
        Delivery d = ann.receiveData(1000);
        assertNotNull(d, "the call works");
        assertArrayEquals(bytes("hello ann"), d.data());
        return new TurnTestClient[] {ann, bob};
    }

    /**
     * An attacker allocation of {@code room} with a permission for the relay IP (for a partner of its own room), on
     * the same event loop as {@code victim}'s allocation or on another one.
     */
    private TurnTestClient attacker(String room, TurnTestClient victim, boolean sameLoop) throws Exception {
        for (int i = 0; i < 24; i++) {
            TurnTestClient c = allocated(room, "mallory" + i);
            boolean same = f.server.allocationLoop(c.relay) == f.server.allocationLoop(victim.relay);
            if (same == sameLoop) {
                TurnTestClient partner = allocated(room, "partner" + i);
                assertEquals(0, c.createPermission(partner.relay), "a permission for the relay IP");
                return c;
            }
        }
        throw new AssertionError("the kernel put 24 clients on one socket");
    }

    @ParameterizedTest(name = "attacker room {0}")
    @ValueSource(strings = {"OPEN", "RELAY_ONLY"})
    void anotherRoomsSendIndicationsAreNotHandedToARelayOnlyRoomOnEitherLoop(String attackerPolicy) throws Exception {
        f = new TurnFixture();
        TurnTestClient ann = call()[0];
        if (attackerPolicy.equals("RELAY_ONLY")) {
            f.server.control().setRoomPolicy("other", RoomPolicy.RELAY_ONLY);
        }
        double handedOver = f.counter("turn.handoffs");
        for (boolean sameLoop : new boolean[] {true, false}) {
            TurnTestClient mallory = attacker("other", ann, sameLoop);
            mallory.send(ann.relay, bytes("injected, same loop " + sameLoop));
            assertNull(ann.receiveData(300), "nothing reaches ann (same loop " + sameLoop + ")");
            assertEquals(403, mallory.createPermission(ann.relay), "no permission towards the room");
            assertEquals(403, mallory.channelBind(0x4001, ann.relay), "no channel towards the room");
        }
        assertEquals(handedOver, f.counter("turn.handoffs"), "refused before the hand-off");
        assertEquals(2.0, f.counter("turn.drops", "reason", "peer_denied"));
    }

    @Test
    void aStreamClientOfARelayOnlyRoomGetsNothingFromAnotherRoomThroughThePostedHandOff() throws Exception {
        // A TCP client cannot be reached through another loop's UDP socket: the hand-off is a task on its loop.
        f = new TurnFixture();
        f.server.control().setRoomPolicy(SECRET_ROOM, RoomPolicy.RELAY_ONLY);
        java.net.Socket tcp = new java.net.Socket(f.server.tcpAddress().getAddress(), f.server.tcpAddress().getPort());
        TurnTestClient ann = new TurnTestClient(tcp).credentials(f.mint(SECRET_ROOM, "ann"));
        clients.add(ann);
        assertEquals(0, code(ann.allocate()));
        TurnTestClient bob = allocated(SECRET_ROOM, "bob");
        assertEquals(0, ann.createPermission(bob.relay));
        assertEquals(0, bob.createPermission(ann.relay));
        bob.send(ann.relay, bytes("hello ann"));
        assertArrayEquals(bytes("hello ann"), ann.receiveData(1000).data(), "the call works");
        TurnTestClient mallory = attacker("lobby", ann, false);
        mallory.send(ann.relay, bytes("injected"));
        assertNull(ann.receiveData(300), "nothing reaches ann");
        TurnFixture.eventually(() -> f.counter("turn.drops", "reason", "peer_denied") == 1.0, "refused");
    }

    @Test
    void aRoomlessAllocationsChannelDataIsNotHandedToARelayOnlyRoom() throws Exception {
        // A channel bound while its peer was an allocation of the attacker's own room, whose port then went to Ann
        // (four ports: the fifth allocation gets the parked socket at once).
        f = new TurnFixture(b -> b.relayPorts(TurnFixture.PORT_MIN, TurnFixture.PORT_MIN + 3));
        f.server.control().setRoomPolicy(SECRET_ROOM, RoomPolicy.RELAY_ONLY);
        TurnTestClient mallory = allocated("lobby", "mallory");
        TurnTestClient accomplice = allocated("lobby", "accomplice");
        TurnTestClient bob = allocated(SECRET_ROOM, "bob");
        allocated(SECRET_ROOM, "carl");
        assertEquals(0, mallory.channelBind(0x4001, accomplice.relay));
        InetSocketAddress port = accomplice.relay;
        assertEquals(0, accomplice.refresh(0));
        TurnFixture.eventually(() -> f.server.activeAllocations() == 3, "accomplice gone");
        TurnTestClient ann = allocated(SECRET_ROOM, "ann");
        assertEquals(port, ann.relay, "ann got the accomplice's relay port");
        assertEquals(0, ann.createPermission(bob.relay), "ann permits the relay IP, for bob");
        mallory.sendChannel(0x4001, bytes("injected by channel"));
        mallory.send(ann.relay, bytes("injected by indication"));
        assertNull(ann.receiveData(300), "nothing reaches ann");
        assertEquals(2.0, f.counter("turn.drops", "reason", "peer_denied"));
    }

    @ParameterizedTest(name = "loopback peers {0}")
    @ValueSource(booleans = {true, false})
    void datagramsFromTheRelaysOwnAddressThroughTheKernelAreDropped(boolean loopbackPeers) throws Exception {
        f = new TurnFixture(b -> b.allowLoopbackPeers(loopbackPeers));
        TurnTestClient ann = call()[0];
        // Another socket on the relay's address — one of the relay port range (as another relay socket would be) and
        // one elsewhere — sends to Ann's relay address through the kernel. Ann's permission for the relay IP covers
        // both ports.
        try (DatagramSocket inRange = relayRangeSocket(); DatagramSocket other = new DatagramSocket(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            byte[] data = bytes("through the kernel");
            inRange.send(new DatagramPacket(data, data.length, ann.relay));
            other.send(new DatagramPacket(data, data.length, ann.relay));
            assertNull(ann.receiveData(300), "nothing reaches ann");
            TurnFixture.eventually(() -> f.counter("turn.drops", "reason", "peer_denied") == 2.0, "both dropped");
        }
    }

    @Test
    void anOpenRoomDropsKernelDatagramsFromARelayPortOfItsOwnHostButTakesItsLoopbackEchoPeer() throws Exception {
        f = new TurnFixture();
        TurnTestClient carol = allocated("open", "carol");
        TurnTestClient dave = allocated("open", "dave");
        try (TurnFixture.Peer echo = new TurnFixture.Peer(); DatagramSocket inRange = relayRangeSocket()) {
            assertEquals(0, carol.createPermission(dave.relay, echo.address()));
            byte[] data = bytes("from a relay port");
            inRange.send(new DatagramPacket(data, data.length, carol.relay));
            assertNull(carol.receiveData(300), "a relay port never sends through the kernel: forged or foreign");
            echo.send(carol.relay, bytes("echo"));
            Delivery d = carol.receiveData(1000);
            assertNotNull(d, "a loopback echo peer (allowLoopbackPeers) still gets through");
            assertEquals(echo.address(), d.peer());
        }
    }

    @Test
    void permissionAndChannelAnswersTowardsALivePortAndAFreeOneAreIdentical() throws Exception {
        f = new TurnFixture(b -> b.allowLoopbackPeers(false));
        TurnTestClient[] call = call();
        TurnTestClient ann = call[0];
        TurnTestClient carol = allocated("other", "carol");
        InetSocketAddress free = freeRelayPort();
        for (TurnTestClient asker : new TurnTestClient[] {carol, ann}) {
            InetSocketAddress live = asker == carol ? ann.relay : carol.relay;
            StunMessage toLive = asker.request(Method.CREATE_PERMISSION,
                    w -> w.xorAddress(AttributeType.XOR_PEER_ADDRESS, live));
            StunMessage toFree = asker.request(Method.CREATE_PERMISSION,
                    w -> w.xorAddress(AttributeType.XOR_PEER_ADDRESS, free));
            assertEquals(403, code(toLive));
            assertSameAnswer(toLive, toFree);
            StunMessage bindLive = asker.request(Method.CHANNEL_BIND, w -> {
                ChannelNumber.write(w, 0x4100);
                w.xorAddress(AttributeType.XOR_PEER_ADDRESS, live);
            });
            StunMessage bindFree = asker.request(Method.CHANNEL_BIND, w -> {
                ChannelNumber.write(w, 0x4100);
                w.xorAddress(AttributeType.XOR_PEER_ADDRESS, free);
            });
            assertEquals(403, code(bindLive));
            assertSameAnswer(bindLive, bindFree);
        }
    }

    /** Same message type, size, attributes in order and ERROR-CODE bytes (code and reason). */
    private static void assertSameAnswer(StunMessage a, StunMessage b) {
        assertEquals(a.messageType(), b.messageType());
        assertEquals(a.size(), b.size());
        assertEquals(a.attributes().stream().map(StunAttribute::type).toList(),
                b.attributes().stream().map(StunAttribute::type).toList());
        assertArrayEquals(a.first(AttributeType.ERROR_CODE).value(), b.first(AttributeType.ERROR_CODE).value());
    }

    /** A relay address port with no allocation on it. */
    private InetSocketAddress freeRelayPort() {
        for (int port = TurnFixture.PORT_MAX; port > TurnFixture.PORT_MIN; port--) {
            InetSocketAddress a = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
            if (clients.stream().noneMatch(c -> a.equals(c.relay))) {
                return a;
            }
        }
        throw new AssertionError("no free relay port");
    }

    /** A UDP socket on the relay address with a port of the relay range that no allocation holds. */
    private DatagramSocket relayRangeSocket() {
        for (int port = TurnFixture.PORT_MAX; port > TurnFixture.PORT_MIN; port--) {
            try {
                DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                assertNotEquals(-1, s.getLocalPort());
                return s;
            } catch (SocketException e) {
                // taken: the next one
            }
        }
        throw new AssertionError("no free port in the relay range");
    }
}
