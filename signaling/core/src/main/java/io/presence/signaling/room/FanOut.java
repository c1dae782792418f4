package io.presence.signaling.room;

import io.presence.signaling.protocol.RoomEvent;
import io.presence.signaling.protocol.ServerMessage;
import io.presence.signaling.runtime.Loop;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;

/**
 * Hands a room's output for member sinks on other event loops to each loop in one task, instead of one task per
 * member and message: a sink living on another loop would otherwise hop there on its own
 * ({@link MemberSink#event} is callable from any thread), which for a 100-member room spread over four loops meant
 * ~75 queued tasks and up to three wake-ups per event, and for a chat message one task for the sender's ack plus
 * one for its copy of the event. Sinks on the room's own loop, or that do not say where they live, are called
 * directly.
 *
 * <p>Order: every sink still sees the room's calls in the room's order, provided that while anything is pending
 * here the room makes no direct call to a sink on another loop; {@link #flush} ends each such window (the room
 * flushes at the end of every broadcast). A sink's own hops go to the same loop queue, behind the batch.
 *
 * <p>Loop-confined (the room's loop); reused for every event.
 */
final class FanOut {
    private final Loop home;
    private final List<Batch> pending = new ArrayList<>(4);

    FanOut(Loop home) {
        this.home = home;
    }

    /** Delivers now if {@code sink} lives on the room's loop, else adds it to that loop's batch. */
    void event(MemberSink sink, RoomEvent event) {
        Loop target = sink.loop();
        if (target == null || target == home) {
            sink.event(event);
        } else {
            batchFor(target).add(sink, event, null);
        }
    }

    /** A response, ordered with the events around it; the room must {@link #flush} before its next direct call. */
    void reply(MemberSink sink, Reply to, ServerMessage message) {
        Loop target = sink.loop();
        if (target == null || target == home) {
            sink.reply(to, message);
        } else {
            batchFor(target).add(sink, message, to);
        }
    }

    /** Submits what is pending, one task per target loop. */
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

    private Batch batchFor(Loop target) {
        for (int i = 0; i < pending.size(); i++) {
            Batch b = pending.get(i);
            if (b.loop == target) {
                return b;
            }
        }
        Batch b = new Batch(target);
        pending.add(b);
        return b;
    }

    /**
     * The calls for the members living on one loop, in the room's order; runs there, so each sink handles its
     * call inline. Item {@code i} is a {@link RoomEvent}, or a {@link ServerMessage} answering {@code replies[i]}.
     */
    private static final class Batch implements Runnable {
        final Loop loop;
        MemberSink[] sinks = new MemberSink[8];
        Object[] items = new Object[8];
        Reply[] replies;
        int size;

        Batch(Loop loop) {
            this.loop = loop;
        }

        void add(MemberSink sink, Object item, Reply reply) {
            if (size == sinks.length) {
                sinks = Arrays.copyOf(sinks, size * 2);
                items = Arrays.copyOf(items, size * 2);
                if (replies != null) {
                    replies = Arrays.copyOf(replies, size * 2);
                }
            }
            if (reply != null) {
                if (replies == null) {
                    replies = new Reply[sinks.length];
                }
                replies[size] = reply;
            }
            sinks[size] = sink;
            items[size++] = item;
        }

        @Override
        public void run() {
            for (int i = 0; i < size; i++) {
                if (items[i] instanceof RoomEvent event) {
                    sinks[i].event(event);
                } else {
                    sinks[i].reply(replies[i], (ServerMessage) items[i]);
                }
            }
        }
    }
}
