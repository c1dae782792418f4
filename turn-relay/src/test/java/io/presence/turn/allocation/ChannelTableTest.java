package io.presence.turn.allocation;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.presence.turn.metrics.TurnMetrics;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChannelTableTest {
    private final TurnMetrics metrics = new TurnMetrics(new SimpleMeterRegistry());
    private final ChannelTable table = new ChannelTable(2, metrics);
    private final InetSocketAddress a = new InetSocketAddress("198.51.100.1", 1000);
    private final InetSocketAddress b = new InetSocketAddress("198.51.100.2", 1000);

    @Test
    void oneBindingFoundByNumberAndByPeer() {
        assertFalse(table.conflicts(0x4000, a, 0));
        assertTrue(table.bind(0x4000, a, 1000));
        assertSame(table.byNumber(0x4000), table.byPeer(new InetSocketAddress("198.51.100.1", 1000)));
        assertEquals(0x4000, table.liveNumber(a, 999));
        assertEquals(-1, table.liveNumber(a, 1000), "lapsed at its expiry");
        assertEquals(-1, table.liveNumber(new InetSocketAddress("198.51.100.1", 1001), 0), "the port counts");
        assertNull(table.live(0x4001, 0));
        assertEquals(1, metrics.activeChannels());
    }

    @Test
    void aBindingCoolsDownForFiveMinutesThenLeaves() {
        table.bind(0x4000, a, 1000);
        assertEquals(1000, table.expire(0, Long.MAX_VALUE), "live: due at its expiry");
        assertEquals(1000 + ChannelBinding.COOL_DOWN_MILLIS, table.expire(1000, Long.MAX_VALUE));
        assertEquals(0, table.counted());
        assertEquals(1, table.size(), "kept while cooling down");
        assertTrue(table.conflicts(0x4000, b, 1000 + ChannelBinding.COOL_DOWN_MILLIS - 1));
        assertFalse(table.conflicts(0x4000, b, 1000 + ChannelBinding.COOL_DOWN_MILLIS), "over: dropped on the way");
        assertEquals(0, table.size());
    }

    @Test
    void theQuotaCountsLiveBindingsOnly() {
        assertTrue(table.bind(0x4000, a, 1000));
        assertTrue(table.bind(0x4001, b, 1000));
        InetSocketAddress c = new InetSocketAddress("198.51.100.3", 1000);
        assertFalse(table.bind(0x4002, c, 1000));
        assertEquals(2, table.size(), "a refused bind changes nothing");
        table.expire(1000, Long.MAX_VALUE);
        assertTrue(table.bind(0x4002, c, 2000));
        assertTrue(table.bind(0x4000, a, 2000), "reviving a cooling binding counts it again");
        assertFalse(table.bind(0x4001, b, 2000), "no room left to revive the other");
        assertEquals(2, metrics.activeChannels());
        table.clear();
        assertEquals(0, metrics.activeChannels());
        assertEquals(0, table.size());
    }
}
