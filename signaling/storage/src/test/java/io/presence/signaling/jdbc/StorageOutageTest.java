package io.presence.signaling.jdbc;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.presence.signaling.protocol.ChatMessageView;
import io.presence.signaling.storage.AppendResult;
import io.presence.signaling.storage.ChatDraft;
import io.presence.signaling.storage.ChatLog;
import io.presence.signaling.storage.RoomMembership;
import io.presence.signaling.storage.RoomRecord;
import io.presence.signaling.storage.StorageUnavailableException;
import org.h2.tools.Server;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The database goes away while the pool is in use (a {@link TcpProxy} between them closes every connection and
 * stops listening) and comes back on the same address: meanwhile every call fails with the typed
 * {@link StorageUnavailableException}, counted as {@code errors{kind=unavailable}}, and readiness names the cause;
 * afterwards the same pool serves again without being reopened. On MariaDB, and on H2 through its TCP server.
 */
class StorageOutageTest {

    @TempDir
    Path data;

    private static ChatDraft draft(String clientMsgId) {
        return new ChatDraft(1_700_000_000_000L, "m-ann", "dev:ann", "Ann", "text " + clientMsgId, null, clientMsgId);
    }

    private static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private static void assertUnavailable(Supplier<CompletionStage<?>> call) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> await(call.get()));
        assertInstanceOf(StorageUnavailableException.class, e.getCause());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.presence.signaling.jdbc.TestDatabase#kinds")
    void callsFailTypedWhileTheDatabaseIsAwayAndTheSamePoolRecovers(String kind) throws Exception {
        try (TestDatabase test = TestDatabase.create(kind)) {
            Server h2 = null;
            InetSocketAddress target = new InetSocketAddress("127.0.0.1", 3306);
            if (kind.equals("h2")) {
                h2 = Server.createTcpServer("-tcpPort", "0", "-ifNotExists", "-baseDir", data.toString()).start();
                target = new InetSocketAddress("127.0.0.1", h2.getPort());
            }
            try (TcpProxy proxy = new TcpProxy(target).start()) {
                String url = kind.equals("h2")
                        ? "jdbc:h2:tcp://" + proxy.hostPort() + "/presence;MODE=MySQL;DATABASE_TO_LOWER=TRUE"
                        : test.settings.url().replace("127.0.0.1:3306", proxy.hostPort());
                outageAndRecovery(proxy, TestDatabase.settings(url, data, 2));
            } finally {
                if (h2 != null) {
                    h2.stop();
                }
            }
        }
    }

    private void outageAndRecovery(TcpProxy proxy, StorageSettings settings) throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (Database db = Database.open(settings, registry)) {
            db.migrations().migrate();
            JdbcRoomStore rooms = new JdbcRoomStore(db);
            await(rooms.persist(new RoomRecord("room-p", false, "dev:ann", 1L), "Kept",
                    List.of(new RoomMembership("dev:ann", "owner")), List.of()));
            ChatLog log = new JdbcChatStore(db).open("room-p");
            assertInstanceOf(AppendResult.Stored.class, await(log.append(draft("before"))));
            assertNull(readiness(db, true), "reachable before the outage");

            proxy.stop();
            assertUnavailable(() -> log.append(draft("during")));
            assertUnavailable(() -> log.page(null, 10));
            assertUnavailable(() -> rooms.persist(new RoomRecord("room-q", false, "dev:ann", 1L), "Other",
                    List.of(new RoomMembership("dev:ann", "owner")), List.of()));
            String problem = readiness(db, false);
            assertTrue(problem.startsWith("unreachable: "), problem);
            // At least once per failed call: depending on when the cut reaches the driver, the group commit may count
            // it twice (seen on MariaDB under load: "communications link failure", then "no operations allowed after
            // connection closed").
            assertTrue(errors(registry, "unavailable") >= 3.0, "every failed call counted as unavailable: "
                    + errors(registry, "unavailable"));
            assertEquals(0.0, errors(registry, "sql"), "no statement failed on a working connection");

            proxy.start();
            AppendResult after = null;
            Throwable lastFailure = null;
            for (int attempt = 0; attempt < 30 && !(after instanceof AppendResult.Stored); attempt++) {
                try {
                    after = await(log.append(draft("after")));
                } catch (ExecutionException stillAway) {
                    lastFailure = stillAway.getCause();
                    assertInstanceOf(StorageUnavailableException.class, lastFailure);
                    Thread.sleep(200);
                }
            }
            assertInstanceOf(AppendResult.Stored.class, after, "the pool did not recover: " + lastFailure);
            assertNull(readiness(db, true), "readiness did not recover");
            assertEquals(List.of("before", "after"),
                    await(log.page(null, 10)).messages().stream().map(ChatMessageView::clientMsgId).toList());
        }
    }

    /** Polls the non-blocking readiness check until it reports {@code reachable} (bounded), returning its word. */
    private static String readiness(Database db, boolean reachable) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String problem = db.problem();
        while ((problem == null) != reachable && System.nanoTime() < deadline) {
            Thread.sleep(50);
            problem = db.problem();
        }
        return problem;
    }

    private static double errors(SimpleMeterRegistry registry, String kind) {
        return registry.get("presence.storage.errors").tag("kind", kind).counter().count();
    }
}
