package io.presence.signaling.session;

import io.presence.signaling.protocol.RoomEvent;
import io.presence.signaling.protocol.ServerMessage.EventFrame;

import java.util.ArrayList;
import java.util.List;

/**
 * A session's numbered events: assigns sequence numbers (1, 2, 3, …, no gaps) and keeps the most recent
 * {@code capacity} frames for replay. Not thread-safe: owned by the session's loop.
 */
final class EventLog {
    private final EventFrame[] ring;
    private long lastSeq;

    EventLog(int capacity) {
        this.ring = new EventFrame[capacity];
    }

    EventFrame append(RoomEvent event) {
        EventFrame frame = new EventFrame(++lastSeq, event);
        ring[(int) ((lastSeq - 1) % ring.length)] = frame;
        return frame;
    }

    long lastSeq() {
        return lastSeq;
    }

    /** The oldest sequence number still replayable (lastSeq + 1 when nothing is kept). */
    long firstSeq() {
        return Math.max(1, lastSeq - ring.length + 1);
    }

    int capacity() {
        return ring.length;
    }

    /** Whether every event after {@code seq} is still here. */
    boolean canReplayAfter(long seq) {
        return seq <= lastSeq && seq + 1 >= firstSeq();
    }

    /** Frames after {@code seq}, in order; call only when {@link #canReplayAfter} holds. */
    List<EventFrame> after(long seq) {
        List<EventFrame> out = new ArrayList<>((int) (lastSeq - seq));
        for (long s = seq + 1; s <= lastSeq; s++) {
            out.add(ring[(int) ((s - 1) % ring.length)]);
        }
        return out;
    }
}
