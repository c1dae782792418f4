package io.presence.signaling.room;

import io.presence.signaling.protocol.RoomEvent;
import io.presence.signaling.protocol.ServerMessage;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A member sink that records what the room sent; tests take from it and assert nothing is left over. */
final class RecordingSink implements MemberSink {
    final BlockingQueue<Object> received = new LinkedBlockingQueue<>();
    /** Runs before every look at what was received: a manual loop's tasks, so that there is something to see. */
    private final Runnable beforeTake;

    RecordingSink() {
        this(() -> { });
    }

    RecordingSink(Runnable beforeTake) {
        this.beforeTake = beforeTake;
    }

    @Override
    public void event(RoomEvent event) {
        received.add(event);
    }

    @Override
    public void reply(Reply to, ServerMessage message) {
        received.add(message);
    }

    @Override
    public void detached(String roomId) {
        received.add("detached:" + roomId);
    }

    <T> T take(Class<T> type) throws InterruptedException {
        beforeTake.run();
        Object o = received.poll(5, TimeUnit.SECONDS);
        if (!type.isInstance(o)) {
            throw new AssertionError("expected " + type.getSimpleName() + " but got " + o);
        }
        return type.cast(o);
    }

    Object take() throws InterruptedException {
        beforeTake.run();
        return received.poll(5, TimeUnit.SECONDS);
    }

    void assertEmpty() throws InterruptedException {
        beforeTake.run();
        Object o = received.poll(50, TimeUnit.MILLISECONDS);
        if (o != null) {
            throw new AssertionError("unexpected " + o + " (and " + List.copyOf(received) + ")");
        }
    }
}
