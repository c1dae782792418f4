package io.presence.turn.handler;

import io.presence.stun.Method;
import io.presence.stun.TransactionId;
import io.presence.stun.attr.RequestedTransport;
import io.presence.turn.TurnFixture;
import io.presence.turn.TurnFixture.Peer;
import io.presence.turn.TurnTestClient;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static io.presence.turn.TurnTestClient.code;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Mutated and random datagrams (bit flips, truncations, length fields pointing past the end) at the TURN port
 * from a client that holds an allocation: the server keeps serving that allocation and others, and answers
 * nothing it should not. Seeded, so a failure reproduces.
 */
class RobustnessTest {
    @Test
    void mutatedInputNeverBreaksTheRelay() throws Exception {
        try (TurnFixture f = new TurnFixture(); TurnTestClient c = f.client("room", "alice"); Peer peer = new Peer()) {
            assertEquals(0, code(c.allocate()));
            assertEquals(0, c.channelBind(0x4000, peer.address()));
            byte[][] seeds = {
                c.build(Method.ALLOCATE, TransactionId.random(), true, w -> RequestedTransport.write(w, RequestedTransport.UDP)),
                c.build(Method.CHANNEL_BIND, TransactionId.random(), true, w -> { }),
                c.build(Method.CREATE_PERMISSION, TransactionId.random(), true,
                        w -> w.xorAddress(0x0012, peer.address())),
                {0x40, 0x00, 0x00, 0x04, 1, 2, 3, 4},
            };
            Random random = new Random(42);
            for (int i = 0; i < 3000; i++) {
                byte[] base = seeds[random.nextInt(seeds.length)];
                byte[] m;
                switch (random.nextInt(4)) {
                    case 0 -> {
                        m = base.clone();
                        for (int k = 0; k < 1 + random.nextInt(4); k++) {
                            m[random.nextInt(m.length)] ^= (byte) (1 << random.nextInt(8));
                        }
                    }
                    case 1 -> m = java.util.Arrays.copyOf(base, random.nextInt(base.length + 1));
                    case 2 -> {
                        m = base.clone();
                        if (m.length > 3) {
                            m[2] = (byte) random.nextInt(256); // length field
                            m[3] = (byte) random.nextInt(256);
                        }
                    }
                    default -> {
                        m = new byte[random.nextInt(200)];
                        random.nextBytes(m);
                    }
                }
                if (m.length > 0) {
                    c.sendRaw(m);
                }
                if (i % 500 == 0) {
                    while (c.receiveRaw(1) != null) {
                        // drain answers
                    }
                }
            }
            while (c.receiveRaw(50) != null) {
                // drain
            }
            while (peer.receive(50) != null) {
                // mutated ChannelData may legitimately reach the bound peer
            }
            // Still serving: the allocation relays, and a new client can allocate.
            // Resent every 300 ms for up to 5 s: on a loaded machine the flood above may still be draining
            // through the relay, and the peer reads every datagram until the probe shows up.
            byte[] got = null;
            long deadline = System.currentTimeMillis() + 5000;
            long nextProbe = 0;
            while (got == null && System.currentTimeMillis() < deadline) {
                if (System.currentTimeMillis() >= nextProbe) {
                    c.sendChannel(0x4000, new byte[] {9, 9, 9});
                    nextProbe = System.currentTimeMillis() + 300;
                }
                var p = peer.receive(100);
                if (p != null && p.getLength() == 3 && p.getData()[0] == 9) {
                    got = p.getData();
                }
            }
            String state = "allocations=" + f.server.activeAllocations() + " stats=" + f.server.control().stats()
                    + " drops=" + f.registry.find("turn.drops").counters().stream()
                    .map(x -> x.getId().getTag("reason") + ":" + x.count()).toList()
                    + " responses=" + f.registry.find("turn.responses").counters().stream()
                    .map(x -> x.getId().getTag("method") + "/" + x.getId().getTag("result") + ":" + x.count()).toList();
            assertArrayEquals(new byte[] {9, 9, 9}, got, state);
            try (TurnTestClient d = f.client("room", "bob")) {
                assertEquals(0, code(d.allocate()));
            }
        }
    }
}
