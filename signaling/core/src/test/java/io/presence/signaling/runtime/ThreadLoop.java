package io.presence.signaling.runtime;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** A loop on a thread of its own, for tests about what crosses threads. Thread-safe; {@link #close} stops it. */
public final class ThreadLoop implements Loop, AutoCloseable {
    private final ScheduledExecutorService executor;
    private volatile Thread thread;

    public ThreadLoop(String name) {
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            thread = t;
            return t;
        });
    }

    @Override
    public void execute(Runnable task) {
        executor.execute(task);
    }

    @Override
    public Cancellable schedule(Runnable task, Duration delay) {
        ScheduledFuture<?> f = executor.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
    }

    @Override
    public boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    /** Waits until every task queued before this call has run. */
    public void drain() throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        executor.execute(done::countDown);
        if (!done.await(5, TimeUnit.SECONDS)) {
            throw new AssertionError("loop did not drain");
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
