package io.presence.signaling.jdbc;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.presence.signaling.storage.ChatDraft;
import io.presence.signaling.storage.StorageUnavailableException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A database that does not answer: calls fail with the typed error, nothing hangs, readiness says so. */
class DatabaseAwayTest {

    @TempDir
    Path data;

    @Test
    void appendsPagesAndLoadsFailAsUnavailableAndReadinessReportsIt() throws Exception {
        int deadPort;
        try (ServerSocket s = new ServerSocket(0)) {
            deadPort = s.getLocalPort();
        }
        StorageSettings settings = new StorageSettings("jdbc:mysql://127.0.0.1:" + deadPort + "/presence", "root", "",
                1, 100, data);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (Database db = Database.open(settings, registry)) {
            var log = new JdbcChatStore(db).open("room-a");
            ExecutionException append = assertThrows(ExecutionException.class, () -> log.append(
                    new ChatDraft(1L, "m", "u", "n", "lost", null, "c1")).toCompletableFuture().get(30, TimeUnit.SECONDS));
            assertInstanceOf(StorageUnavailableException.class, append.getCause());
            ExecutionException page = assertThrows(ExecutionException.class,
                    () -> log.page(null, 10).toCompletableFuture().get(30, TimeUnit.SECONDS));
            assertInstanceOf(StorageUnavailableException.class, page.getCause());
            ExecutionException load = assertThrows(ExecutionException.class,
                    () -> new JdbcRoomStore(db).load("room-a").toCompletableFuture().get(30, TimeUnit.SECONDS));
            assertInstanceOf(StorageUnavailableException.class, load.getCause());
            assertEquals(3.0, registry.get("presence.storage.errors").tag("kind", "unavailable").counter().count());

            db.problem();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (db.problem() == null && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(db.problem().startsWith("unreachable: "), db.problem());
        }
    }
}
