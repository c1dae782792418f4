package io.presence.turn.allocation;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClosedRelaysTest {
    private static final InetSocketAddress RELAY = new InetSocketAddress("198.51.100.7", 50000);

    @Test
    void aCloseCountsForItsRoomItsAddressAndTheWindowOnly() {
        ClosedRelays closed = new ClosedRelays(49152, 65535);
        assertFalse(closed.lately(RELAY, "call", 0), "nothing closed yet");
        closed.closed(RELAY, "call", 1000);
        assertTrue(closed.lately(RELAY, "call", 1000));
        assertTrue(closed.lately(RELAY, "call", 1000 + ClosedRelays.WINDOW_MILLIS - 1));
        assertFalse(closed.lately(RELAY, "call", 1000 + ClosedRelays.WINDOW_MILLIS), "the window is over");
        assertFalse(closed.lately(RELAY, "other", 1000), "another room");
        assertFalse(closed.lately(new InetSocketAddress("198.51.100.8", 50000), "call", 1000), "another address");
        assertFalse(closed.lately(new InetSocketAddress("198.51.100.7", 50001), "call", 1000), "another port");
        closed.closed(RELAY, "other", 2000);
        assertFalse(closed.lately(RELAY, "call", 2000), "the latest close wins");
    }

    @Test
    void portsOutsideTheRangeAreNeverOnRecord() {
        ClosedRelays closed = new ClosedRelays(49152, 49153);
        InetSocketAddress outside = new InetSocketAddress("198.51.100.7", 3478);
        closed.closed(outside, "call", 0);
        assertFalse(closed.lately(outside, "call", 0));
        assertFalse(closed.lately(new InetSocketAddress("198.51.100.7", 49154), "call", 0));
    }
}
