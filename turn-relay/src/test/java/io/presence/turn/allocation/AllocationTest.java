package io.presence.turn.allocation;

import io.netty.buffer.ByteBuf;
import io.presence.turn.allocation.Allocation.BindResult;
import io.presence.turn.allocation.AllocationHarness.RecordingClient;
import io.presence.turn.allocation.AllocationHarness.RecordingSocket;
import io.presence.turn.config.TurnSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

import static io.presence.turn.allocation.AllocationHarness.bytes;
import static io.presence.turn.allocation.AllocationHarness.peer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An allocation's logic without sockets (RFC 8656 §9 permissions, §11–12 channels, §7 lifetimes): driven through its
 * own methods on a manual clock, with recording fakes for the client and the relay socket.
 */
class AllocationTest {
    private AllocationHarness h = new AllocationHarness();

    @AfterEach
    void close() throws Exception {
        h.close();
    }

    private void advance(long seconds) {
        h.clock.advance(Duration.ofSeconds(seconds));
    }

    private long now() {
        return h.clock.millis();
    }

    @Test
    void aPermissionLastsFiveMinutesAndARefreshExtendsIt() throws Exception {
        Allocation a = h.allocate(h.client(5000));
        InetSocketAddress p = peer(7, 9000);
        h.onLoop(() -> a.permit(p.getAddress()));
        assertTrue(h.onLoop(() -> a.hasPermission(p.getAddress(), now())));
        assertEquals(1, h.metrics.activePermissions());

        advance(200);
        h.onLoop(() -> a.permit(p.getAddress()));
        advance(200);
        assertTrue(h.onLoop(() -> a.hasPermission(p.getAddress(), now())), "refreshed at 200 s: live at 400 s");
        advance(101);
        assertFalse(h.onLoop(() -> a.hasPermission(p.getAddress(), now())), "lapsed 300 s after its refresh");

        h.onLoop(a::housekeep);
        assertEquals(0, h.onLoop(a::permissionCount));
        assertEquals(0, h.metrics.activePermissions());
    }

    @Test
    void dataToAPeerNeedsAPermissionForItsIp() throws Exception {
        Allocation a = h.allocate(h.client(5000));
        RecordingSocket relay = h.pool.bound.get(0);
        InetSocketAddress p = peer(7, 9000);

        ByteBuf refused = bytes("0102");
        h.onLoop(() -> a.sendToPeer(p, refused, now()));
        assertEquals(List.of(), relay.sent);
        assertEquals(0, refused.refCnt(), "a refused datagram is released");

        h.onLoop(() -> a.permit(p.getAddress()));
        h.onLoop(() -> a.sendToPeer(p, bytes("0102"), now()));
        h.onLoop(() -> a.sendToPeer(peer(7, 9001), bytes("0304"), now()));
        assertEquals(List.of(p + " 0102", peer(7, 9001) + " 0304"), relay.sent,
                "the permission is for the IP, any port");
    }

    @Test
    void dataFromAPeerReachesTheClientAsADataIndicationOrOnItsChannel() throws Exception {
        RecordingClient client = h.client(5000);
        Allocation a = h.allocate(client);
        InetSocketAddress p = peer(7, 9000);

        h.onLoop(() -> a.receiveFromPeer(p, bytes("0102")));
        assertEquals(List.of(), client.received, "no permission: dropped");

        h.onLoop(() -> a.permit(p.getAddress()));
        h.onLoop(() -> a.receiveFromPeer(p, bytes("0102")));
        assertEquals(1, client.received.size());
        assertTrue(client.received.get(0).startsWith("0017"), "a Data indication: " + client.received.get(0));

        assertEquals(BindResult.BOUND, h.onLoop(() -> a.bind(0x4001, p)));
        h.onLoop(() -> a.receiveFromPeer(p, bytes("0102")));
        assertEquals("40010002" + "0102", client.received.get(1), "ChannelData on the peer's channel");
        h.onLoop(() -> a.receiveFromPeer(peer(7, 9001), bytes("0304")));
        assertTrue(client.received.get(2).startsWith("0017"), "another port of the IP has no channel");
    }

    @Test
    void channelDataFromTheClientGoesToTheBoundPeer() throws Exception {
        Allocation a = h.allocate(h.client(5000));
        RecordingSocket relay = h.pool.bound.get(0);
        InetSocketAddress p = peer(7, 9000);
        assertEquals(BindResult.BOUND, h.onLoop(() -> a.bind(0x4001, p)));

        h.onLoop(() -> a.onChannelData(bytes("40010002" + "0102" + "0000")));
        ByteBuf unbound = bytes("40020002" + "0304");
        h.onLoop(() -> a.onChannelData(unbound));
        ByteBuf reserved = bytes("50000002" + "0304");
        h.onLoop(() -> a.onChannelData(reserved));
        assertEquals(List.of(p + " 0102"), relay.sent, "padding dropped; unbound and malformed frames dropped");
        assertEquals(0, unbound.refCnt());
        assertEquals(0, reserved.refCnt());
    }

    @Test
    void bindingInstallsThePermissionAndFollowsTheRebindingRules() throws Exception {
        Allocation a = h.allocate(h.client(5000));
        h.onLoop(() -> a.refresh(3_600_000));
        InetSocketAddress p = peer(7, 9000);
        InetSocketAddress q = peer(8, 9000);

        assertEquals(BindResult.BOUND, h.onLoop(() -> a.bind(0x4000, p)));
        assertTrue(h.onLoop(() -> a.hasPermission(p.getAddress(), now())), "RFC 8656 §11.2: ChannelBind permits");
        assertEquals(BindResult.CONFLICT, h.onLoop(() -> a.bind(0x4000, q)), "number bound to another address");
        assertEquals(BindResult.CONFLICT, h.onLoop(() -> a.bind(0x4001, p)), "address bound to another number");
        assertEquals(BindResult.BOUND, h.onLoop(() -> a.bind(0x4000, p)), "the same pair refreshes");
        assertEquals(1, h.metrics.activeChannels());

        advance(600);
        assertNull(h.onLoop(() -> a.channel(0x4000, now())), "lapsed after 10 minutes");
        h.onLoop(a::housekeep);
        assertEquals(0, h.metrics.activeChannels(), "a lapsed binding is not counted");
        assertEquals(BindResult.CONFLICT, h.onLoop(() -> a.bind(0x4000, q)), "cooling down: still reserved");
        assertEquals(BindResult.BOUND, h.onLoop(() -> a.bind(0x4000, p)), "the same pair revives it");
        assertNotNull(h.onLoop(() -> a.channel(0x4000, now())));
        assertEquals(1, h.metrics.activeChannels());

        advance(600 + 300);
        h.onLoop(a::housekeep);
        assertEquals(BindResult.BOUND, h.onLoop(() -> a.bind(0x4000, q)), "free 5 minutes after it lapsed");
        assertEquals(q, h.onLoop(() -> a.channel(0x4000, now())).peer());
        assertEquals(BindResult.BOUND, h.onLoop(() -> a.bind(0x4001, p)), "and the old address with it");
    }

    @Test
    void channelAndPermissionQuotas() throws Exception {
        h.close();
        h = new AllocationHarness(b -> b.quotas(new TurnSettings.Quotas(16, 1000, 10_000, 3, 2, 0, 0)));
        Allocation a = h.allocate(h.client(5000));
        h.onLoop(() -> a.refresh(3_600_000));
        assertEquals(BindResult.BOUND, h.onLoop(() -> a.bind(0x4000, peer(1, 1))));
        assertEquals(BindResult.BOUND, h.onLoop(() -> a.bind(0x4001, peer(2, 1))));
        assertEquals(BindResult.QUOTA, h.onLoop(() -> a.bind(0x4002, peer(3, 1))), "two channels at most");
        assertEquals(2, h.onLoop(a::liveChannels));

        h.onLoop(() -> a.permit(peer(3, 1).getAddress()));
        assertFalse(h.onLoop(() -> a.canPermit(List.of(peer(4, 1).getAddress()))), "three permissions at most");
        assertTrue(h.onLoop(() -> a.canPermit(List.of(peer(1, 1).getAddress()))), "a refresh always fits");

        advance(600);
        h.onLoop(a::housekeep);
        assertEquals(0, h.onLoop(a::liveChannels));
        assertEquals(BindResult.BOUND, h.onLoop(() -> a.bind(0x4003, peer(3, 1))), "lapsed channels free the quota");
    }

    @Test
    void aRefreshMovesTheExpiryAndHousekeepingClosesAnExpiredAllocation() throws Exception {
        Allocation a = h.allocate(h.client(5000));
        advance(500);
        assertEquals(600, h.onLoop(() -> a.refresh(600_000)));
        advance(500);
        assertFalse(a.expired(now()), "refreshed at 500 s for 600 s");
        advance(101);
        assertTrue(a.expired(now()));
        h.onLoop(a::housekeep);
        assertTrue(a.isClosed());
        assertEquals(0, h.manager.size());
    }

    @Test
    void closeReleasesEverythingOnceAndStopsTheData() throws Exception {
        RecordingClient client = h.client(5000);
        Allocation a = h.allocate(client);
        RecordingSocket relay = h.pool.bound.get(0);
        InetSocketAddress p = peer(7, 9000);
        h.onLoop(() -> a.bind(0x4000, p));
        h.onLoop(() -> a.permit(peer(8, 1).getAddress()));
        assertEquals(2, h.metrics.activePermissions());
        assertEquals(1, h.metrics.activeChannels());
        assertEquals(1, h.manager.size());

        h.onLoop(a::close);
        h.onLoop(a::close);
        assertTrue(a.isClosed());
        assertEquals(0, h.metrics.activePermissions());
        assertEquals(0, h.metrics.activeChannels());
        assertEquals(0, h.manager.size());
        assertNull(h.manager.relayTarget(a.relayAddress()));
        assertTrue(relay.closed, "not parked (the pool is full): closed");

        ByteBuf late = bytes("0102");
        h.onLoop(() -> a.sendToPeer(p, late, now()));
        h.onLoop(() -> a.receiveFromPeer(p, bytes("0304")));
        assertEquals(List.of(), relay.sent);
        assertEquals(List.of(), client.received);
        assertEquals(0, late.refCnt());
    }
}
