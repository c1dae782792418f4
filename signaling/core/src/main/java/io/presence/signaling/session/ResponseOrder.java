package io.presence.signaling.session;

import io.presence.signaling.protocol.ServerMessage;

/**
 * Everything a session sends on its connection, in one order: each request takes a place when the session receives
 * it, and its response (or the knowledge that it has none) fills that place whenever it is ready — at once for a
 * refusal, after a hop through a room for a room request. A place is sent once every place before it is; events,
 * which need no place of their own, queue behind the places taken before them. So responses leave in request
 * order, and no event overtakes the response to a request the session received before it.
 *
 * <p>Every place must be filled exactly once (rooms answer every request once, see
 * {@link io.presence.signaling.room.MemberSink#reply}). What waits is bounded: the events are the session's
 * replay buffer's own (no copy), so up to {@code resumeBufferEvents} of them, or {@code outboundQueueMessages} if
 * that is larger, may wait behind a response still on its way; beyond that the connection is closed as a slow
 * consumer, as when its own queue overflows.
 *
 * <p>Loop-confined: the session's loop. One per connection of the session, replaced with it.
 */
final class ResponseOrder {
    /** Where the frames go once due: the session, which counts and writes them. */
    interface Output {
        void send(Connection connection, ServerMessage message);

        /** More than the bound waits: close the connection. Called once. */
        void overflowed(Connection connection);
    }

    /** A filled place with nothing to send (a request without {@code requestId} that succeeded). */
    private static final Object NOTHING = new Object();

    private final Output session;
    private final Connection connection;
    private final int maxWaiting;
    /** Messages stored in the ring (filled places and events), not yet sent. */
    private int waiting;
    /** Place {@code p} lives at {@code ring[p & (ring.length - 1)]}; null while not yet filled. */
    private Object[] ring = new Object[8];
    private long head;
    private long next;
    /** Overflowed: the connection is being closed, nothing more is kept or sent. */
    private boolean closed;

    ResponseOrder(Output session, Connection connection, int maxWaiting) {
        this.session = session;
        this.connection = connection;
        this.maxWaiting = maxWaiting;
    }

    Connection connection() {
        return connection;
    }

    /** Takes the next place, for a request just received. */
    ResponseSlot reserve() {
        return new ResponseSlot(this, take());
    }

    /** Fills {@code place} with {@code message}, or with nothing when it is null, and sends what is now due. */
    void fill(long place, ServerMessage message) {
        if (closed || place < head || place >= next) {
            return; // not a place of this order, or already filled
        }
        if (place == head) {
            head++;
            if (message != null) {
                session.send(connection, message);
            }
            drain();
        } else if (message == null) {
            ring[index(place)] = NOTHING;
        } else {
            store(place, message);
        }
    }

    /** An event or notice: sent now if nothing is waiting, else queued behind every place taken so far. */
    void send(ServerMessage message) {
        if (closed) {
            return;
        }
        if (head == next) {
            session.send(connection, message);
            return;
        }
        store(take(), message);
    }

    private void store(long place, ServerMessage message) {
        if (waiting >= maxWaiting) {
            closed = true;
            ring = new Object[1];
            session.overflowed(connection);
            return;
        }
        waiting++;
        ring[index(place)] = message;
    }

    private long take() {
        if (next - head == ring.length && !closed) {
            grow();
        }
        return next++;
    }

    private void drain() {
        while (head < next) {
            int i = index(head);
            Object item = ring[i];
            if (item == null) {
                return;
            }
            ring[i] = null;
            head++;
            if (item != NOTHING) {
                waiting--;
                session.send(connection, (ServerMessage) item);
            }
        }
    }

    private void grow() {
        Object[] bigger = new Object[ring.length * 2];
        for (long p = head; p < next; p++) {
            bigger[(int) (p & (bigger.length - 1))] = ring[index(p)];
        }
        ring = bigger;
    }

    private int index(long place) {
        return (int) (place & (ring.length - 1));
    }
}
