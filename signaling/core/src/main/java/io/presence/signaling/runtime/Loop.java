package io.presence.signaling.runtime;

import java.time.Duration;
import java.util.concurrent.Executor;

/**
 * One single-threaded executor: the thread an actor of the core (a room, a session) runs on. Tasks submitted from
 * one thread run in submission order, one at a time, and every task a loop runs sees what the earlier ones did;
 * that is what lets rooms and sessions keep their state without locks.
 *
 * <p>The server runs the core on Netty's event loops through one adapter per loop; tests run it on a manual loop
 * that runs tasks and timers only when the test says so. Implementations are thread-safe. An implementation
 * returns the same {@code Loop} object for the same thread every time: actors compare loops by identity to
 * decide whether a call needs a hop.
 */
public interface Loop extends Executor {

    /**
     * Queues {@code task}. Never runs it inline, even on the loop itself.
     *
     * @throws java.util.concurrent.RejectedExecutionException only while the loop shuts down
     */
    @Override
    void execute(Runnable task);

    /**
     * Runs {@code task} on this loop after {@code delay}, unless cancelled first.
     *
     * @throws java.util.concurrent.RejectedExecutionException only while the loop shuts down
     */
    Cancellable schedule(Runnable task, Duration delay);

    /** Whether the calling thread is this loop's thread (a task of this loop is running). */
    boolean inLoop();
}
