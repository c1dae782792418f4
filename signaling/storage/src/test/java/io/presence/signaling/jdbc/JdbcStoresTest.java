package io.presence.signaling.jdbc;

import io.presence.signaling.protocol.ChatMessageView;
import io.presence.signaling.storage.AppendResult;
import io.presence.signaling.storage.ChatDraft;
import io.presence.signaling.storage.ChatLog;
import io.presence.signaling.storage.ChatPage;
import io.presence.signaling.storage.RoomRecord;
import io.presence.signaling.storage.RoomMembership;
import io.presence.signaling.storage.RoomSummary;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The JDBC stores on a real database each: embedded H2 and the MariaDB server (see {@link TestDatabase}). */
class JdbcStoresTest {

    private static ChatDraft draft(String user, String text, String clientMsgId) {
        return new ChatDraft(1_700_000_000_000L, "m-" + user, user, "Name " + user, text, null, clientMsgId);
    }

    private static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.presence.signaling.jdbc.TestDatabase#kinds")
    void migratesFromEmptyOnceAndReportsStatus(String kind) throws Exception {
        try (TestDatabase test = TestDatabase.create(kind);
             Database db = Database.open(test.settings, test.registry)) {
            Migrations migrations = db.migrations();
            assertEquals("none", migrations.currentVersion());
            List<Integer> versions = MigrationScripts.versions();
            assertEquals(versions.size(), migrations.migrate());
            assertEquals(0, migrations.migrate());
            assertEquals(String.valueOf(versions.get(versions.size() - 1)), migrations.currentVersion());
            assertTrue(migrations.status().get(0).endsWith("Success"), migrations.status().toString());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.presence.signaling.jdbc.TestDatabase#kinds")
    void aMigrationMissingLocallyStopsTheStartWithOneLine(String kind) throws Exception {
        try (TestDatabase test = TestDatabase.create(kind)) {
            try (Database db = test.open(); Connection c = db.dataSource().getConnection();
                 Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO flyway_schema_history (installed_rank, version, description, type, script,"
                        + " checksum, installed_by, execution_time, success) VALUES (99, '99', 'from the future',"
                        + " 'SQL', 'V99__from_the_future.sql', 0, 'test', 1, TRUE)");
            }
            try (Database db = Database.open(test.settings, test.registry)) {
                StorageStartException e = assertThrows(StorageStartException.class, () -> db.migrations().migrate());
                assertTrue(e.getMessage().startsWith("database migration failed: "), e.getMessage());
                assertFalse(e.getMessage().contains("\n"), e.getMessage());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.presence.signaling.jdbc.TestDatabase#kinds")
    void appendCompletesAfterCommitWithIncreasingIds(String kind) throws Exception {
        try (TestDatabase test = TestDatabase.create(kind); Database db = test.open()) {
            ChatLog log = new JdbcChatStore(db).open("room-a");
            AppendResult first = await(log.append(draft("u1", "hello", "c1")));
            AppendResult second = await(log.append(draft("u2", "hi", "c1")));
            assertEquals(1, assertInstanceOf(AppendResult.Stored.class, first).message().id());
            assertEquals(2, assertInstanceOf(AppendResult.Stored.class, second).message().id());
            // Another room counts its own ids.
            AppendResult other = await(new JdbcChatStore(db).open("room-b").append(draft("u1", "x", "c1")));
            assertEquals(1, assertInstanceOf(AppendResult.Stored.class, other).message().id());

            // Committed: a separate pool on the same database reads both.
            db.close();
            try (Database again = test.open()) {
                ChatPage page = await(new JdbcChatStore(again).open("room-a").page(null, 10));
                assertEquals(List.of("hello", "hi"), page.messages().stream().map(ChatMessageView::text).toList());
                assertFalse(page.hasMore());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.presence.signaling.jdbc.TestDatabase#kinds")
    void appendsArrivingDuringACommitAreWrittenInOneTransaction(String kind) throws Exception {
        try (TestDatabase test = TestDatabase.create(kind); Database db = test.open(test.withPoolSize(1))) {
            ChatLog log = new JdbcChatStore(db).open("room-a");
            long before = db.metrics().commits();
            CountDownLatch release = new CountDownLatch(1);
            // The only storage thread is busy, as it is during a commit: the appends queue up behind it.
            CompletableFuture<Void> busy = db.executor().submit(() -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return null;
            });
            List<CompletionStage<AppendResult>> appends = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                appends.add(log.append(draft("u" + i, "message " + i, "c" + i)));
            }
            assertFalse(appends.get(0).toCompletableFuture().isDone(), "acknowledged before commit");
            release.countDown();
            busy.get(30, TimeUnit.SECONDS);
            for (int i = 0; i < 10; i++) {
                AppendResult r = await(appends.get(i));
                assertEquals(i + 1, assertInstanceOf(AppendResult.Stored.class, r).message().id());
            }
            assertEquals(1, db.metrics().commits() - before);
            assertEquals(10.0, test.registry.get("presence.storage.write.batch.size").summary().max());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.presence.signaling.jdbc.TestDatabase#kinds")
    void aRetryIsRecognisedAcrossANewStoreAndInFlight(String kind) throws Exception {
        try (TestDatabase test = TestDatabase.create(kind)) {
            long id;
            try (Database db = test.open()) {
                ChatLog log = new JdbcChatStore(db).open("room-a");
                CompletionStage<AppendResult> first = log.append(draft("u1", "once", "c-42"));
                CompletionStage<AppendResult> quickRetry = log.append(draft("u1", "once", "c-42"));
                id = assertInstanceOf(AppendResult.Stored.class, await(first)).message().id();
                assertEquals(id, assertInstanceOf(AppendResult.Duplicate.class, await(quickRetry)).earlier().id());
            }
            try (Database db = test.open()) {
                ChatLog log = new JdbcChatStore(db).open("room-a");
                AppendResult retry = await(log.append(draft("u1", "once", "c-42")));
                assertEquals(id, assertInstanceOf(AppendResult.Duplicate.class, retry).earlier().id());
                AppendResult otherUser = await(log.append(draft("u2", "once", "c-42")));
                assertInstanceOf(AppendResult.Stored.class, otherUser);
                assertEquals(2, await(log.page(null, 10)).messages().size());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.presence.signaling.jdbc.TestDatabase#kinds")
    void replyToMustNameAMessageOfTheRoom(String kind) throws Exception {
        try (TestDatabase test = TestDatabase.create(kind); Database db = test.open()) {
            ChatLog log = new JdbcChatStore(db).open("room-a");
            await(log.append(draft("u1", "first", "c1")));
            ChatDraft reply = new ChatDraft(1L, "m", "u2", "n", "re", 1L, "c2");
            assertInstanceOf(AppendResult.Stored.class, await(log.append(reply)));
            ChatDraft dangling = new ChatDraft(1L, "m", "u2", "n", "re", 99L, "c3");
            assertEquals(99L, assertInstanceOf(AppendResult.UnknownReplyTo.class, await(log.append(dangling))).replyTo());
            ChatPage page = await(log.page(null, 10));
            assertEquals(2, page.messages().size());
            assertEquals(1L, page.messages().get(1).replyTo());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.presence.signaling.jdbc.TestDatabase#kinds")
    void pagesBackwardsByCursor(String kind) throws Exception {
        try (TestDatabase test = TestDatabase.create(kind); Database db = test.open()) {
            ChatLog log = new JdbcChatStore(db).open("room-a");
            for (int i = 1; i <= 5; i++) {
                await(log.append(draft("u1", "m" + i, "c" + i)));
            }
            ChatPage newest = await(log.page(null, 2));
            assertEquals(List.of(4L, 5L), newest.messages().stream().map(ChatMessageView::id).toList());
            assertTrue(newest.hasMore());
            ChatPage older = await(log.page(4L, 3));
            assertEquals(List.of(1L, 2L, 3L), older.messages().stream().map(ChatMessageView::id).toList());
            assertFalse(older.hasMore());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.presence.signaling.jdbc.TestDatabase#kinds")
    void utf8mb4RoundTrips(String kind) throws Exception {
        String text = "emoji 😀👩‍👩‍👧 combining e\u0301 a\u0308 right-to-left שלום مرحبا";
        String name = "Zoë 🎉 שלום";
        try (TestDatabase test = TestDatabase.create(kind); Database db = test.open()) {
            ChatLog log = new JdbcChatStore(db).open("room-ü");
            await(log.append(new ChatDraft(1L, "m", "user-🙂", name, text, null, "c-é")));
            JdbcRoomStore rooms = new JdbcRoomStore(db);
            await(rooms.persist(new RoomRecord("room-ü", false, "user-🙂", 1L), name,
                    List.of(new RoomMembership("user-🙂", "owner")), List.of()));
            ChatMessageView read = await(log.page(null, 1)).messages().get(0);
            assertEquals(text, read.text());
            assertEquals(name, read.fromName());
            assertEquals("user-🙂", read.fromUserId());
            assertEquals("c-é", read.clientMsgId());
            assertEquals(List.of(new RoomSummary("room-ü", name, 0)), await(rooms.roomsOf("user-🙂")));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.presence.signaling.jdbc.TestDatabase#kinds")
    void aNamedRoomWithItsMembersAndHistoryIsKept(String kind) throws Exception {
        RoomRecord record = new RoomRecord("room-n", true, "owner-1", 1_700_000_000_000L);
        try (TestDatabase test = TestDatabase.create(kind)) {
            try (Database db = test.open()) {
                JdbcRoomStore rooms = new JdbcRoomStore(db);
                await(rooms.create(record));
                assertEquals(Optional.empty(), await(rooms.load("room-n")), "a room starts ephemeral");
                List<ChatMessageView> history = List.of(draft("owner-1", "before naming", "c1").withId(1),
                        draft("u2", "also before", "c1").withId(2));
                await(rooms.persist(record, "Team", List.of(new RoomMembership("owner-1", "owner"),
                        new RoomMembership("u2", "member")), history));
                await(rooms.persist(record, "Team room", List.of(new RoomMembership("owner-1", "owner")), history));
            }
            try (Database db = test.open()) {
                JdbcRoomStore rooms = new JdbcRoomStore(db);
                assertEquals(Optional.of(record), await(rooms.load("room-n")));
                // u2 was a member when the room was named: the history it saw live starts read.
                assertEquals(List.of(new RoomSummary("room-n", "Team room", 0)), await(rooms.roomsOf("u2")));
                assertEquals(List.of(), await(rooms.roomsOf("stranger")));
                ChatLog log = new JdbcChatStore(db).open("room-n");
                assertEquals(List.of("before naming", "also before"),
                        await(log.page(null, 10)).messages().stream().map(ChatMessageView::text).toList());
                AppendResult next = await(log.append(draft("u2", "after", "c2")));
                assertEquals(3, assertInstanceOf(AppendResult.Stored.class, next).message().id());
                AppendResult retry = await(log.append(draft("owner-1", "before naming", "c1")));
                assertEquals(1, assertInstanceOf(AppendResult.Duplicate.class, retry).earlier().id());
            }
        }
    }
}
