package io.presence.turn.transport;

import io.presence.turn.TurnFixture;
import io.presence.turn.TurnFixture.Peer;
import io.presence.turn.TurnTestClient;
import io.presence.turn.TurnTestClient.Delivery;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static io.presence.turn.TurnTestClient.code;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Peer sockets ({@link PeerSockets}) on real loopback sockets: the first peer an allocation sends to gets a socket
 * of the relay address of its own, which neither side can tell from the relay socket; everyone else still goes
 * through the relay socket; the socket ends with its allocation; and datagrams it took before its connect are not
 * taken for the peer's.
 */
@Timeout(60)
class PeerSocketsTest {
    private TurnFixture f;

    @AfterEach
    void close() {
        if (f != null) {
            f.close();
        }
    }

    private double peerSockets() {
        return f.registry.get("turn.peer.sockets").gauge().value();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void theFirstPeerAnAllocationSendsToGetsASocketOfTheRelayAddressUntilTheAllocationEnds() throws Exception {
        f = new TurnFixture();
        try (TurnTestClient c = f.client("room", "alice"); Peer peer = new Peer(); Peer other = new Peer()) {
            assertEquals(0, code(c.allocate()));
            assertEquals(0, c.channelBind(0x4000, peer.address()));
            assertEquals(0.0, peerSockets(), "an allocation that has sent nothing has none");
            for (int i = 0; i < 5; i++) {
                c.sendChannel(0x4000, bytes("ping " + i));
                DatagramPacket got = peer.receive(1000);
                assertNotNull(got);
                assertArrayEquals(bytes("ping " + i), got.getData());
                assertEquals(c.relay, got.getSocketAddress(), "sent from the relay address");
                assertEquals(1.0, peerSockets());
                peer.send(c.relay, bytes("pong " + i));
                Delivery d = c.receiveData(1000);
                assertNotNull(d);
                assertEquals(0x4000, d.channel(), "the peer's datagrams are delivered on its channel");
                assertArrayEquals(bytes("pong " + i), d.data());
            }
            // Another port of the same IP (the permission is the IP's): through the relay socket, both ways.
            c.send(other.address(), bytes("to other"));
            DatagramPacket got = other.receive(1000);
            assertNotNull(got);
            assertArrayEquals(bytes("to other"), got.getData());
            assertEquals(c.relay, got.getSocketAddress());
            other.send(c.relay, bytes("from other"));
            Delivery d = c.receiveData(1000);
            assertNotNull(d);
            assertEquals(0, d.channel(), "a Data indication: no channel to that port");
            assertEquals(other.address(), d.peer());
            assertArrayEquals(bytes("from other"), d.data());
            assertEquals(1.0, peerSockets(), "one per allocation");

            // The permission check still applies to the peer's datagrams on its socket (permissions last 5 minutes).
            f.clock.advance(java.time.Duration.ofMinutes(6));
            TurnFixture.eventually(() -> f.registry.get("turn.permissions.active").gauge().value() == 0,
                    "the permissions lapsed");
            peer.send(c.relay, bytes("after expiry"));
            assertNull(c.receiveData(300), "no permission any more: dropped");

            assertEquals(0, c.refresh(0));
            TurnFixture.eventually(() -> peerSockets() == 0.0, "the peer socket closed with its allocation");
            peer.send(c.relay, bytes("after the end"));
            assertNull(c.receiveData(300));
            assertEquals(0, code(c.allocate()), "allocates again");
            assertEquals(0, c.createPermission(peer.address()));
            c.send(peer.address(), bytes("again"));
            assertArrayEquals(bytes("again"), peer.receive(1000).getData());
            assertEquals(1.0, peerSockets());
            f.server.control().revokeParticipant("room", "alice");
            TurnFixture.eventually(() -> peerSockets() == 0.0, "closed with a revoked allocation");
        }
    }

    @Test
    void noPeerSocketsWhenTurnedOff() throws Exception {
        f = new TurnFixture(b -> b.peerSockets(0));
        try (TurnTestClient c = f.client("room", "alice"); Peer peer = new Peer()) {
            assertEquals(0, code(c.allocate()));
            assertEquals(0, c.createPermission(peer.address()));
            c.send(peer.address(), bytes("x"));
            assertArrayEquals(bytes("x"), peer.receive(1000).getData());
            peer.send(c.relay, bytes("y"));
            assertArrayEquals(bytes("y"), c.receiveData(1000).data());
            assertEquals(0.0, peerSockets());
        }
    }

    /**
     * Between its bind and its connect a peer socket is the first socket of the relay port the kernel finds, so it
     * takes whatever arrives then. A sender without permission floods the relay address while the allocation sends
     * its first datagram to its peer (which opens the socket): none of the flood may reach the client, which it would
     * if the socket's early datagrams were read as the peer's.
     */
    @Test
    void datagramsTheSocketTookBeforeItsConnectAreNotTakenForThePeers() throws Exception {
        f = new TurnFixture();
        AtomicInteger leaked = new AtomicInteger();
        AtomicInteger flooded = new AtomicInteger();
        try (Peer peer = new Peer(); DatagramSocket stranger = new DatagramSocket(
                new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0))) {
            for (int round = 0; round < 40; round++) {
                try (TurnTestClient c = f.client("room", "p" + round)) {
                    assertEquals(0, code(c.allocate()));
                    assertEquals(0, c.channelBind(0x4000, peer.address()));
                    AtomicBoolean flooding = new AtomicBoolean(true);
                    byte[] noise = bytes("stranger");
                    Thread flood = new Thread(() -> {
                        DatagramPacket p = new DatagramPacket(noise, noise.length, c.relay);
                        for (int i = 0; i < 200_000 && flooding.get(); i++) {
                            try {
                                stranger.send(p);
                                flooded.incrementAndGet();
                            } catch (Exception e) {
                                return;
                            }
                        }
                    });
                    flood.start();
                    Thread.sleep(2);
                    c.sendChannel(0x4000, bytes("first"));
                    assertArrayEquals(bytes("first"), peer.receive(1000).getData());
                    Thread.sleep(2);
                    flooding.set(false);
                    flood.join();
                    peer.send(c.relay, bytes("reply"));
                    for (Delivery d; (d = c.receiveData(100)) != null; ) {
                        if (new String(d.data(), StandardCharsets.UTF_8).equals("stranger")) {
                            leaked.incrementAndGet();
                        } else {
                            assertArrayEquals(bytes("reply"), d.data());
                            assertEquals(0x4000, d.channel());
                        }
                    }
                    assertEquals(0, c.refresh(0));
                }
            }
        }
        assertTrue(flooded.get() > 0);
        assertEquals(0, leaked.get(), "datagrams of a sender without permission reached the client");
    }
}
