package io.presence.signaling.transport;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import io.presence.signaling.runtime.Cancellable;
import io.presence.signaling.runtime.Loop;
import io.presence.signaling.runtime.LoopGroup;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The core's loops over Netty's event loops: one {@link Loop} per event loop of the worker group, made once, so
 * that a room and the sessions on the same event loop hold the same {@code Loop} object (the core compares loops
 * by identity to decide whether a call needs a hop). A connection's session is placed on
 * {@link #of(EventLoop) the loop of its channel}.
 *
 * <p>Thread-safe; immutable after construction.
 */
public final class NettyLoops implements LoopGroup {
    private final NettyLoop[] loops;
    private final AtomicInteger next = new AtomicInteger();

    public NettyLoops(EventLoopGroup group) {
        List<NettyLoop> all = new ArrayList<>();
        for (EventExecutor e : group) {
            all.add(new NettyLoop((EventLoop) e));
        }
        if (all.isEmpty()) {
            throw new IllegalArgumentException("the event loop group has no loops");
        }
        this.loops = all.toArray(new NettyLoop[0]);
    }

    @Override
    public Loop next() {
        return loops[Math.floorMod(next.getAndIncrement(), loops.length)];
    }

    @Override
    public boolean contains(Loop loop) {
        for (NettyLoop l : loops) {
            if (l == loop) {
                return true;
            }
        }
        return false;
    }

    /** The core's loop for a channel's event loop; a handful of loops, so a scan. Called once per hello. */
    public Loop of(EventLoop eventLoop) {
        for (NettyLoop l : loops) {
            if (l.eventLoop == eventLoop) {
                return l;
            }
        }
        throw new IllegalArgumentException(eventLoop + " is not an event loop of this group");
    }

    /** One Netty event loop as a core {@link Loop}. */
    private static final class NettyLoop implements Loop {
        final EventLoop eventLoop;

        NettyLoop(EventLoop eventLoop) {
            this.eventLoop = eventLoop;
        }

        @Override
        public void execute(Runnable task) {
            eventLoop.execute(task);
        }

        @Override
        public Cancellable schedule(Runnable task, Duration delay) {
            ScheduledFuture<?> future = eventLoop.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
            return () -> future.cancel(false);
        }

        @Override
        public boolean inLoop() {
            return eventLoop.inEventLoop();
        }

        @Override
        public String toString() {
            return eventLoop.toString();
        }
    }
}
