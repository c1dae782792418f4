package io.presence.signaling.room;

import io.netty.util.concurrent.EventExecutor;
import io.presence.signaling.protocol.RoomEvent;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;

/**
 * Hands one room event to many member sinks with at most one task per target event loop, instead of one task per
 * member: a sink living on another loop would otherwise hop there on its own ({@link MemberSink#event} is callable
 * from any thread), which for a 100-member room spread over four loops meant ~75 queued tasks and up to three
 * wake-ups per event. Sinks on the room's own loop, or that do not say where they live, are called directly.
 *
 * <p>Order: every sink still sees the room's calls in the room's order, because {@link #flush} submits the batches
 * before the room makes its next call to any sink, and a sink's own hops go to the same loop queue.
 *
 * <p>Loop-confined (the room's loop); reused for every event.
 */
final class FanOut {
    private final EventExecutor home;
    private final List<Batch> pending = new ArrayList<>(4);

    FanOut(EventExecutor home) {
        this.home = home;
    }

    /** Delivers now if {@code sink} lives on the room's loop, else adds it to that loop's batch for this event. */
    void add(MemberSink sink, RoomEvent event) {
        EventExecutor target = sink.executor();
        if (target == null || target == home) {
            sink.event(event);
            return;
        }
        for (int i = 0; i < pending.size(); i++) {
            Batch b = pending.get(i);
            if (b.loop == target) {
                b.add(sink);
                return;
            }
        }
        Batch b = new Batch(target, event);
        b.add(sink);
        pending.add(b);
    }

    /** Submits the batches of the current event; call before the room's next call to any sink. */
    void flush() {
        for (int i = 0; i < pending.size(); i++) {
            Batch b = pending.get(i);
            try {
                b.loop.execute(b);
            } catch (RejectedExecutionException e) {
                // Only while the appliance shuts its loops down; the sessions die with them.
            }
        }
        pending.clear();
    }

    /** One event for the members living on one loop; runs there, so each sink's {@code event} runs inline. */
    private static final class Batch implements Runnable {
        final EventExecutor loop;
        final RoomEvent event;
        MemberSink[] sinks = new MemberSink[8];
        int size;

        Batch(EventExecutor loop, RoomEvent event) {
            this.loop = loop;
            this.event = event;
        }

        void add(MemberSink sink) {
            if (size == sinks.length) {
                sinks = java.util.Arrays.copyOf(sinks, size * 2);
            }
            sinks[size++] = sink;
        }

        @Override
        public void run() {
            for (int i = 0; i < size; i++) {
                sinks[i].event(event);
            }
        }
    }
}
