package io.presence.signaling.jdbc;

import io.presence.signaling.storage.AppendResult;
import io.presence.signaling.storage.ChatDraft;
import io.presence.signaling.storage.StorageUnavailableException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The group commit's batch written without lookups, on H2 and MariaDB: a retry of a stored message inside a batch
 * of new ones, the same client id twice in one batch, reply-to targets stored and in the batch, a batch the
 * database refuses, and one transaction per message ({@code storage.groupCommit: false}).
 */
class GroupCommitTest {

    private static ChatDraft draft(String user, String clientMsgId, Long replyTo) {
        return new ChatDraft(1_700_000_000_000L, "m-" + user, user, "Name " + user, "text " + clientMsgId, replyTo,
                clientMsgId);
    }

    private static AppendResult await(CompletableFuture<AppendResult> f) throws Exception {
        return f.get(30, TimeUnit.SECONDS);
    }

    private record Append(String roomId, ChatDraft draft) {
    }

    private static List<CompletableFuture<AppendResult>> inOneBatch(Database db, GroupCommit commits,
                                                                   List<ChatDraft> drafts, String roomId)
            throws Exception {
        return inOneBatch(db, commits, drafts.stream().map(d -> new Append(roomId, d)).toList());
    }

    /** Appends while the only storage thread is busy, so that they all go into the next commit. */
    private static List<CompletableFuture<AppendResult>> inOneBatch(Database db, GroupCommit commits,
                                                                   List<Append> appends) throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Void> busy = db.executor().submit(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        });
        List<CompletableFuture<AppendResult>> results = new ArrayList<>();
        for (Append a : appends) {
            results.add(commits.append(a.roomId(), a.draft()));
        }
        release.countDown();
        busy.get(30, TimeUnit.SECONDS);
        return results;
    }

    private static long rows(Database db, String roomId) throws Exception {
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM messages WHERE room_id = ?")) {
            s.setString(1, roomId);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.presence.signaling.jdbc.TestDatabase#kinds")
    void aRetryOfAStoredMessageInsideABatchIsAnsweredWithTheOriginalAndLeavesNoGap(String kind) throws Exception {
        try (TestDatabase test = TestDatabase.create(kind)) {
            long originalId;
            try (Database db = test.open()) {
                GroupCommit commits = new GroupCommit(db.dataSource(), db.executor(), db.metrics(),
                        GroupCommit.MAX_BATCH);
                await(commits.append("room-a", draft("u1", "c1", null)));
                originalId = assertInstanceOf(AppendResult.Stored.class,
                        await(commits.append("room-a", draft("u1", "c2", null)))).message().id();
            }
            // A restart: a new pool and group commit that know nothing of c2 but what the table says.
            try (Database db = test.open(test.withPoolSize(1))) {
                GroupCommit commits = new GroupCommit(db.dataSource(), db.executor(), db.metrics(),
                        GroupCommit.MAX_BATCH);
                List<CompletableFuture<AppendResult>> r = inOneBatch(db, commits, List.of(
                        draft("u1", "c3", null), draft("u1", "c2", null), draft("u2", "c2", null),
                        draft("u1", "c4", null)), "room-a");
                assertEquals(3, assertInstanceOf(AppendResult.Stored.class, await(r.get(0))).message().id());
                AppendResult.Duplicate retry = assertInstanceOf(AppendResult.Duplicate.class, await(r.get(1)));
                assertEquals(originalId, retry.earlier().id());
                assertEquals("text c2", retry.earlier().text());
                assertEquals(4, assertInstanceOf(AppendResult.Stored.class, await(r.get(2))).message().id(),
                        "the same client id of another user is another message");
                assertEquals(5, assertInstanceOf(AppendResult.Stored.class, await(r.get(3))).message().id());
                assertEquals(5, rows(db, "room-a"));
                assertEquals(6, assertInstanceOf(AppendResult.Stored.class,
                        await(commits.append("room-a", draft("u1", "c5", null)))).message().id());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.presence.signaling.jdbc.TestDatabase#kinds")
    void theSameClientIdTwiceInOneBatchIsStoredOnce(String kind) throws Exception {
        try (TestDatabase test = TestDatabase.create(kind); Database db = test.open(test.withPoolSize(1))) {
            GroupCommit commits = new GroupCommit(db.dataSource(), db.executor(), db.metrics(), GroupCommit.MAX_BATCH);
            long before = db.metrics().commits();
            List<CompletableFuture<AppendResult>> r = inOneBatch(db, commits, List.of(
                    draft("u1", "c1", null), draft("u1", "c1", null), draft("u1", null, null),
                    draft("u1", null, null)), "room-a");
            long id = assertInstanceOf(AppendResult.Stored.class, await(r.get(0))).message().id();
            assertEquals(id, assertInstanceOf(AppendResult.Duplicate.class, await(r.get(1))).earlier().id());
            assertInstanceOf(AppendResult.Stored.class, await(r.get(2)));
            assertInstanceOf(AppendResult.Stored.class, await(r.get(3)), "messages without a client id never clash");
            assertEquals(3, rows(db, "room-a"));
            assertEquals(1, db.metrics().commits() - before);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.presence.signaling.jdbc.TestDatabase#kinds")
    void replyToIsCheckedAgainstStoredMessagesAndTheBatchOfItsRoom(String kind) throws Exception {
        try (TestDatabase test = TestDatabase.create(kind); Database db = test.open(test.withPoolSize(1))) {
            GroupCommit commits = new GroupCommit(db.dataSource(), db.executor(), db.metrics(), GroupCommit.MAX_BATCH);
            await(commits.append("room-a", draft("u1", "a1", null)));
            await(commits.append("room-b", draft("u1", "b1", null)));
            await(commits.append("room-b", draft("u1", "b2", null)));
            List<CompletableFuture<AppendResult>> r = inOneBatch(db, commits, List.of(
                    new Append("room-a", draft("u2", "a2", 1L)),    // stored before
                    new Append("room-a", draft("u2", "a3", 2L)),    // a2 takes id 2 in this batch
                    new Append("room-a", draft("u2", "a4", 9L)),    // nowhere
                    new Append("room-b", draft("u2", "b3", 2L)),    // stored before, in room-b
                    new Append("room-b", draft("u2", "b4", 4L)),    // room-a's id 4 (a5 below), not room-b's
                    new Append("room-a", draft("u2", "a5", 3L))));  // a3 in this batch
            assertEquals(2, assertInstanceOf(AppendResult.Stored.class, await(r.get(0))).message().id());
            AppendResult.Stored a3 = assertInstanceOf(AppendResult.Stored.class, await(r.get(1)));
            assertEquals(3, a3.message().id());
            assertEquals(2L, a3.message().replyTo());
            assertEquals(9L, assertInstanceOf(AppendResult.UnknownReplyTo.class, await(r.get(2))).replyTo());
            assertEquals(3, assertInstanceOf(AppendResult.Stored.class, await(r.get(3))).message().id());
            assertEquals(4L, assertInstanceOf(AppendResult.UnknownReplyTo.class, await(r.get(4))).replyTo());
            assertEquals(4, assertInstanceOf(AppendResult.Stored.class, await(r.get(5))).message().id(),
                    "no id is spent on a refused message");
            assertEquals(4, rows(db, "room-a"));
            assertEquals(3, rows(db, "room-b"));

            CompletableFuture<AppendResult> inB = commits.append("room-b", draft("u3", "b5", 4L));
            assertInstanceOf(AppendResult.UnknownReplyTo.class, await(inB), "id 4 is room-a's, not room-b's");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.presence.signaling.jdbc.TestDatabase#kinds")
    void aBatchTheDatabaseRefusesFailsEveryMessageAndLeavesNoRow(String kind) throws Exception {
        try (TestDatabase test = TestDatabase.create(kind); Database db = test.open(test.withPoolSize(1))) {
            GroupCommit commits = new GroupCommit(db.dataSource(), db.executor(), db.metrics(), GroupCommit.MAX_BATCH);
            await(commits.append("room-a", draft("u1", "c1", null)));
            // Another writer takes the id this store would give next: the primary key refuses the batch, with and
            // without lookups.
            try (Connection c = db.dataSource().getConnection();
                 PreparedStatement s = c.prepareStatement("INSERT INTO messages (room_id, id, ts, member_id, user_id,"
                         + " body) VALUES ('room-a', 2, 1, 'm', 'other', 'x')")) {
                s.executeUpdate();
            }
            List<CompletableFuture<AppendResult>> r = inOneBatch(db, commits, List.of(
                    draft("u1", "c2", null), draft("u1", "c3", null), draft("u2", "c1", null)), "room-a");
            for (CompletableFuture<AppendResult> f : r) {
                ExecutionException e = assertThrows(ExecutionException.class, () -> await(f));
                assertInstanceOf(StorageUnavailableException.class, e.getCause());
            }
            assertEquals(2, rows(db, "room-a"), "nothing of the failed batch is stored");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.presence.signaling.jdbc.TestDatabase#kinds")
    void withoutGroupCommitEachMessageIsItsOwnTransaction(String kind) throws Exception {
        try (TestDatabase test = TestDatabase.create(kind); Database db = test.open(test.withPoolSize(1))) {
            GroupCommit commits = new GroupCommit(db.dataSource(), db.executor(), db.metrics(), 1);
            long before = db.metrics().commits();
            List<CompletableFuture<AppendResult>> r = inOneBatch(db, commits, List.of(
                    draft("u1", "c1", null), draft("u1", "c2", null), draft("u1", "c1", null),
                    draft("u2", "c3", 1L)), "room-a");
            assertEquals(1, assertInstanceOf(AppendResult.Stored.class, await(r.get(0))).message().id());
            assertEquals(2, assertInstanceOf(AppendResult.Stored.class, await(r.get(1))).message().id());
            assertEquals(1, assertInstanceOf(AppendResult.Duplicate.class, await(r.get(2))).earlier().id());
            assertEquals(3, assertInstanceOf(AppendResult.Stored.class, await(r.get(3))).message().id());
            assertEquals(4, db.metrics().commits() - before, "one transaction per message, the retry included");
            assertEquals(1.0, test.registry.get("presence.storage.write.batch.size").summary().max());
        }
    }
}
