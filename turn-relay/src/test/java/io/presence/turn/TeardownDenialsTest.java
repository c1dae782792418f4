package io.presence.turn;

import io.presence.turn.TurnTestClient.Delivery;
import io.presence.turn.config.RoomPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static io.presence.turn.TurnTestClient.code;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * {@code turn.peers.denied{reason=room_scope}} means someone reaches for a call that is not theirs: the traffic of a
 * call that has ended (the survivor's browser keeps checking the old candidate pairs and refreshing its permissions
 * after the other side's allocation is gone, also when its port has gone to someone else meanwhile) is counted
 * under {@code allocation_gone}. The answers stay the same (403, silent drops).
 */
class TeardownDenialsTest {
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

    private double denied(String reason) {
        return f.counter("turn.peers.denied", "reason", reason);
    }

    @ParameterizedTest(name = "{0} room")
    @EnumSource(RoomPolicy.class)
    void theEndOfACallIsNotCountedAsAnAttackButAnotherRoomStillIs(RoomPolicy policy) throws Exception {
        // Two relay ports: once Bob's is free, the next allocation gets it.
        f = new TurnFixture(b -> b.relayPorts(TurnFixture.PORT_MIN, TurnFixture.PORT_MIN + 1));
        f.server.control().setRoomPolicy("call", policy);
        TurnTestClient ann = allocated("call", "ann");
        TurnTestClient bob = allocated("call", "bob");
        assertEquals(0, ann.channelBind(0x4000, bob.relay));
        assertEquals(0, bob.channelBind(0x4000, ann.relay));
        ann.sendChannel(0x4000, bytes("hi bob"));
        Delivery d = bob.receiveData(1000);
        assertNotNull(d);
        assertArrayEquals(bytes("hi bob"), d.data());
        InetSocketAddress gone = bob.relay;

        assertEquals(0, bob.refresh(0), "bob hangs up");
        TurnFixture.eventually(() -> f.server.activeAllocations() == 1, "bob's allocation gone");
        int datagrams = 40;
        for (int i = 0; i < datagrams / 2; i++) {
            ann.sendChannel(0x4000, bytes("connectivity check"));
            ann.send(gone, bytes("consent"));
        }
        assertEquals(403, ann.createPermission(gone), "a permission refresh");
        assertEquals(403, ann.channelBind(0x4000, gone), "a channel refresh");
        TurnFixture.eventually(() -> denied("allocation_gone") == datagrams + 2, "teardown counted as such");
        assertEquals(0.0, denied("room_scope"));

        // Bob's port goes to another room's allocation; Ann's browser is still at it.
        TurnTestClient carol = allocated("other", "carol");
        assertEquals(gone, carol.relay, "the only free port");
        ann.send(gone, bytes("consent"));
        assertEquals(403, ann.createPermission(gone));
        TurnFixture.eventually(() -> denied("allocation_gone") == datagrams + 4, "still the end of ann's call");
        assertEquals(0.0, denied("room_scope"));

        // Carol reaching for Ann's allocation is what room_scope is for.
        assertEquals(403, carol.createPermission(ann.relay));
        assertEquals(403, carol.channelBind(0x4000, ann.relay));
        assertEquals(2.0, denied("room_scope"));
    }
}
