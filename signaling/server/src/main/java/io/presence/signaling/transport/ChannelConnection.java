package io.presence.signaling.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.presence.signaling.protocol.RoomEvent;
import io.presence.signaling.protocol.ServerMessage;
import io.presence.signaling.session.Connection;
import io.presence.signaling.session.Session;
import io.presence.signaling.session.SignalingMetrics;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A {@link Connection} over a Netty channel of either transport. The outbound queue is the channel's own outbound
 * buffer, bounded here by counting messages written but not yet on the wire: a connection whose reader cannot keep
 * up is closed rather than allowed to grow memory or slow the rooms feeding it.
 *
 * <p>Thread-safe: sessions call it from their loops; writes from outside the channel's loop are queued by Netty in
 * call order.
 */
final class ChannelConnection implements Connection {

    /** What the channel's handler does when {@code hello} completes; invoked on the channel's loop. */
    interface HelloOutcome {
        void opened(Session session, ServerMessage.Welcome welcome);

        void rejected(ServerMessage.Error error, boolean close);
    }

    private final Channel channel;
    private final String transport;
    private final int maxQueued;
    private final SignalingMetrics metrics;
    private final HelloOutcome outcome;
    /** Builds the transport's own close frame (WebSocket close), or null for none. */
    private final Supplier<Object> closeFrame;
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicBoolean closing = new AtomicBoolean();
    private volatile String closeReason;
    private final ChannelFutureListener dequeued = f -> queued.decrementAndGet();

    ChannelConnection(Channel channel, String transport, int maxQueued, SignalingMetrics metrics,
                      HelloOutcome outcome, Supplier<Object> closeFrame) {
        this.channel = channel;
        this.transport = transport;
        this.maxQueued = maxQueued;
        this.metrics = metrics;
        this.outcome = outcome;
        this.closeFrame = closeFrame;
    }

    @Override
    public String id() {
        return transport + ":" + channel.id().asShortText();
    }

    @Override
    public String transport() {
        return transport;
    }

    Channel channel() {
        return channel;
    }

    @Override
    public java.net.InetAddress remoteAddress() {
        return ClientAddress.of(channel);
    }

    /** The reason given to the first {@link #close}, or null when the peer closed first. */
    String closeReason() {
        return closeReason;
    }

    @Override
    public boolean send(ServerMessage message) {
        if (closing.get() || !channel.isActive()) {
            return false;
        }
        if (queued.incrementAndGet() > maxQueued) {
            queued.decrementAndGet();
            metrics.slowConsumerClosed(transport);
            abort("slow_consumer");
            return false;
        }
        metrics.messageOut(message.type());
        if (message instanceof ServerMessage.EventFrame frame && frame.event() instanceof RoomEvent.ChatPosted chat) {
            long accepted = chat.acceptedNanos();
            channel.writeAndFlush(message).addListener(f -> {
                queued.decrementAndGet();
                if (f.isSuccess()) {
                    metrics.delivered(accepted);
                }
            });
        } else {
            channel.writeAndFlush(message).addListener(dequeued);
        }
        return true;
    }

    @Override
    public void replay(java.util.List<? extends ServerMessage> messages) {
        // On the channel's loop, like opened(): the session calls opened() then replay(), and when the session
        // lives on another loop opened() hops. Counting the replay against the queue before the welcome was sent
        // would make the welcome itself look like a slow consumer's overflow; the hop keeps welcome, replay and
        // later sends in order on the wire too.
        onLoop(() -> replayOnLoop(messages));
    }

    private void replayOnLoop(java.util.List<? extends ServerMessage> messages) {
        if (closing.get() || !channel.isActive()) {
            return;
        }
        for (ServerMessage m : messages) {
            queued.incrementAndGet();
            metrics.messageOut(m.type());
            channel.write(m).addListener(dequeued);
        }
        channel.flush();
    }

    /** Sends without counting against the queue: one-off server notices (hello timeout, draining). */
    void sendControl(ServerMessage message) {
        if (!closing.get()) {
            metrics.messageOut(message.type());
            channel.writeAndFlush(message);
        }
    }

    @Override
    public void opened(Session session, ServerMessage.Welcome welcome) {
        onLoop(() -> outcome.opened(session, welcome));
    }

    @Override
    public void helloRejected(ServerMessage.Error error, boolean close) {
        onLoop(() -> outcome.rejected(error, close));
    }

    @Override
    public void close(String reason, String message) {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        closeReason = reason;
        metrics.messageOut(ServerMessage.Closing.TYPE);
        ServerMessage.Closing goodbye = new ServerMessage.Closing(reason, message);
        ChannelFuture last;
        if (closeFrame != null) {
            channel.write(goodbye);
            last = channel.writeAndFlush(closeFrame.get());
        } else {
            last = channel.writeAndFlush(goodbye);
        }
        last.addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void abort(String reason) {
        if (closing.compareAndSet(false, true)) {
            closeReason = reason;
            channel.close();
        }
    }

    boolean isClosing() {
        return closing.get();
    }

    private void onLoop(Runnable task) {
        if (channel.eventLoop().inEventLoop()) {
            task.run();
        } else {
            channel.eventLoop().execute(task);
        }
    }

    @Override
    public String toString() {
        return id();
    }
}
