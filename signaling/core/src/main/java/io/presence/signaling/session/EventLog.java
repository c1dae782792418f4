package io.presence.signaling.session;

import io.presence.signaling.protocol.RoomEvent;
import io.presence.signaling.protocol.ServerMessage.EventFrame;

import java.util.ArrayList;
import java.util.List;

/**
 * A session's numbered events: assigns sequence numbers (1, 2, 3, …, no gaps) and keeps the most recent
 * {@code capacity} frames for replay. The ring starts small and doubles up to the capacity, so idle sessions —
 * the vast majority — cost a few dozen bytes here, not the full buffer.
 *
 * <p>Not thread-safe: owned by the session's loop.
 */
final class EventLog {
    static final int INITIAL_SLOTS = 8;

    private final int capacity;
    private EventFrame[] ring;
    private long lastSeq;

    EventLog(int capacity) {
        this.capacity = capacity;
        this.ring = new EventFrame[Math.min(capacity, INITIAL_SLOTS)];
    }

    EventFrame append(RoomEvent event) {
        EventFrame frame = new EventFrame(++lastSeq, event);
        if (lastSeq > ring.length && ring.length < capacity) {
            grow();
        }
        ring[slot(lastSeq)] = frame;
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
        return capacity;
    }

    /** Whether every event after {@code seq} is still here. */
    boolean canReplayAfter(long seq) {
        return seq <= lastSeq && seq + 1 >= firstSeq();
    }

    /** Frames after {@code seq}, in order; call only when {@link #canReplayAfter} holds. */
    List<EventFrame> after(long seq) {
        List<EventFrame> out = new ArrayList<>((int) (lastSeq - seq));
        for (long s = seq + 1; s <= lastSeq; s++) {
            out.add(ring[slot(s)]);
        }
        return out;
    }

    private int slot(long seq) {
        return (int) ((seq - 1) % ring.length);
    }

    /** Called when the ring is full and about to wrap: copy the frames in sequence order into a larger ring. */
    private void grow() {
        EventFrame[] bigger = new EventFrame[(int) Math.min(capacity, (long) ring.length * 2)];
        long newest = lastSeq - 1;
        for (long s = Math.max(1, newest - ring.length + 1); s <= newest; s++) {
            bigger[(int) ((s - 1) % bigger.length)] = ring[slot(s)];
        }
        ring = bigger;
    }
}
