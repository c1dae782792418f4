package io.presence.signaling.jdbc;

import io.presence.signaling.storage.StorageUnavailableException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The only place JDBC runs: a few threads (one per pooled connection) behind a bounded queue, so an event loop
 * hands work over and never waits. When the queue is full the work is refused at once
 * ({@link StorageUnavailableException}) instead of piling up behind a slow database.
 *
 * <p>Thread-safe.
 */
public final class StorageExecutor implements AutoCloseable {
    private final ThreadPoolExecutor threads;

    public StorageExecutor(int threadCount, int queueSize) {
        AtomicInteger n = new AtomicInteger();
        this.threads = new ThreadPoolExecutor(threadCount, threadCount, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(queueSize), r -> {
                    Thread t = new Thread(r, "presence-storage-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.AbortPolicy());
    }

    /** Runs {@code work} on a storage thread; completes with its result or its failure, on that thread. */
    public <T> CompletableFuture<T> submit(Supplier<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            threads.execute(() -> {
                try {
                    result.complete(work.get());
                } catch (Throwable t) {
                    result.completeExceptionally(t);
                }
            });
        } catch (RejectedExecutionException full) {
            result.completeExceptionally(new StorageUnavailableException("storage busy: queue full", full));
        }
        return result;
    }

    /** Work waiting for a thread. */
    public int queued() {
        return threads.getQueue().size();
    }

    @Override
    public void close() {
        threads.shutdown();
        try {
            if (!threads.awaitTermination(10, TimeUnit.SECONDS)) {
                threads.shutdownNow();
            }
        } catch (InterruptedException e) {
            threads.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
