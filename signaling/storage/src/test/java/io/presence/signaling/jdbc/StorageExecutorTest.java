package io.presence.signaling.jdbc;

import io.presence.signaling.storage.StorageUnavailableException;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StorageExecutorTest {

    @Test
    void aFullQueueFailsFastAsUnavailableAndTheRestStillRuns() throws Exception {
        try (StorageExecutor executor = new StorageExecutor(1, 1)) {
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<String> running = executor.submit(() -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return "ran";
            });
            CompletableFuture<String> queued = executor.submit(() -> "queued");
            // One thread busy and one task waiting: the queue is full, so the next one is refused at once.
            CompletableFuture<String> refused = executor.submit(() -> "never");
            assertTrue(refused.isCompletedExceptionally());
            ExecutionException e = assertThrows(ExecutionException.class, refused::get);
            assertInstanceOf(StorageUnavailableException.class, e.getCause());
            release.countDown();
            assertEquals("ran", running.get(10, TimeUnit.SECONDS));
            assertEquals("queued", queued.get(10, TimeUnit.SECONDS));
        }
    }
}
