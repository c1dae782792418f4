package io.presence.signaling.session;

import io.presence.signaling.protocol.ServerMessage;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;

/**
 * A connection without a socket: records, in order, everything the session sends it (welcome, responses, event
 * frames, the replay) and how it was closed. Tests take what they expect and assert nothing else is left.
 * Driven from one test thread with a manual loop.
 */
final class RecordingConnection implements Connection {
    private final String id;
    private final Queue<Object> sent = new ArrayDeque<>();
    private final Runnable beforeTake;
    Session session;
    String closedWith;
    /** What the transport does once the welcome is out: a server connection forwards requests it held meanwhile. */
    java.util.function.Consumer<Session> onOpened = s -> { };
    /** What {@link #remoteAddress()} reports; null = unknown. */
    java.net.InetAddress address;

    /** @param beforeTake runs before every look at what was sent: the manual loops' queued tasks */
    RecordingConnection(String id, Runnable beforeTake) {
        this.id = id;
        this.beforeTake = beforeTake;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String transport() {
        return "ws";
    }

    @Override
    public boolean send(ServerMessage message) {
        if (closedWith != null) {
            return false;
        }
        sent.add(message);
        return true;
    }

    @Override
    public void replay(List<? extends ServerMessage> messages) {
        sent.addAll(messages);
    }

    @Override
    public void opened(Session session, ServerMessage.Welcome welcome) {
        this.session = session;
        sent.add(welcome);
        onOpened.accept(session);
    }

    @Override
    public java.net.InetAddress remoteAddress() {
        return address;
    }

    @Override
    public void helloRejected(ServerMessage.Error error, boolean close) {
        sent.add(error);
        if (close) {
            closedWith = error.code();
        }
    }

    @Override
    public void close(String reason, String message) {
        if (closedWith == null) {
            closedWith = reason;
        }
    }

    @Override
    public void abort(String reason) {
        close(reason, null);
    }

    /** The next thing sent, which must be a {@code type}. */
    <T> T take(Class<T> type) {
        beforeTake.run();
        Object o = sent.poll();
        if (!type.isInstance(o)) {
            throw new AssertionError(id + ": expected " + type.getSimpleName() + " but got " + o);
        }
        return type.cast(o);
    }

    /** The next event frame, whose event must be a {@code type}. */
    <T> T takeEvent(Class<T> type) {
        ServerMessage.EventFrame frame = take(ServerMessage.EventFrame.class);
        if (!type.isInstance(frame.event())) {
            throw new AssertionError(id + ": expected event " + type.getSimpleName() + " but got " + frame.event());
        }
        return type.cast(frame.event());
    }

    List<Object> drain() {
        beforeTake.run();
        List<Object> all = new ArrayList<>(sent);
        sent.clear();
        return all;
    }

    void assertEmpty() {
        beforeTake.run();
        if (!sent.isEmpty()) {
            throw new AssertionError(id + ": unexpected " + sent);
        }
    }
}
