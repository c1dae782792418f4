package io.presence.signaling.session;

import io.presence.signaling.protocol.RoomEvent;
import io.presence.signaling.protocol.ServerMessage;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventLogTest {
    static RoomEvent ev(int i) {
        return new RoomEvent.MemberBack("r", "m" + i);
    }

    @Test
    void numbersFromOneWithoutGapsAndReplaysWhatItStillHolds() {
        EventLog log = new EventLog(4);
        assertTrue(log.canReplayAfter(0));
        assertEquals(List.of(), log.after(0));
        for (int i = 1; i <= 6; i++) {
            assertEquals(i, log.append(ev(i)).seq());
        }
        assertEquals(6, log.lastSeq());
        assertEquals(3, log.firstSeq());
        assertTrue(log.canReplayAfter(2));
        assertFalse(log.canReplayAfter(1), "seq 2 was overwritten");
        assertFalse(log.canReplayAfter(7), "ahead of the log");
        assertEquals(List.of(5L, 6L), log.after(4).stream().map(ServerMessage.EventFrame::seq).toList());
        assertEquals(new RoomEvent.MemberBack("r", "m5"), log.after(4).get(0).event());
        assertEquals(List.of(), log.after(6));
    }

    @Test
    void growsUpToItsCapacityKeepingEveryFrameInOrder() {
        EventLog log = new EventLog(100);
        for (int i = 1; i <= 250; i++) {
            log.append(ev(i));
            long first = Math.max(1, i - 99);
            assertTrue(log.canReplayAfter(first - 1), "after " + i + " appends");
            List<ServerMessage.EventFrame> all = log.after(first - 1);
            assertEquals(i - first + 1, all.size());
            for (int k = 0; k < all.size(); k++) {
                assertEquals(first + k, all.get(k).seq());
                assertEquals(new RoomEvent.MemberBack("r", "m" + (first + k)), all.get(k).event());
            }
        }
        assertFalse(log.canReplayAfter(149));
        assertTrue(log.canReplayAfter(150));
    }
}
