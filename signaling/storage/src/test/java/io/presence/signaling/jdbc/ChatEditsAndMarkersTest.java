package io.presence.signaling.jdbc;

import io.presence.signaling.protocol.ChatMessageView;
import io.presence.signaling.protocol.ErrorCode;
import io.presence.signaling.storage.AppendResult;
import io.presence.signaling.storage.ChangeResult;
import io.presence.signaling.storage.ChangeRule;
import io.presence.signaling.storage.ChatDraft;
import io.presence.signaling.storage.ChatLog;
import io.presence.signaling.storage.ChatPage;
import io.presence.signaling.storage.PageResult;
import io.presence.signaling.storage.ReadResult;
import io.presence.signaling.storage.RoomMembership;
import io.presence.signaling.storage.RoomRecord;
import io.presence.signaling.storage.RoomSummary;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Edits, soft deletes, read markers with unread counts, and paging both ways from the recent messages in memory
 * and from the database; each case on the embedded H2 and on MariaDB (see {@link TestDatabase}).
 */
class ChatEditsAndMarkersTest {
    static final ChangeRule ALLOW = current -> null;
    static final long AT = 1_700_000_100_000L;

    private static ChatDraft draft(String user, String text) {
        return new ChatDraft(1_700_000_000_000L, "m-" + user, user, "Name " + user, text, null, "c-" + text);
    }

    private static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private static long append(ChatLog log, String user, String text) throws Exception {
        return assertInstanceOf(AppendResult.Stored.class, await(log.append(draft(user, text)))).message().id();
    }

    private static ChatPage found(CompletionStage<PageResult> page) throws Exception {
        return assertInstanceOf(PageResult.Found.class, await(page)).page();
    }

    private static List<Long> ids(ChatPage page) {
        return page.messages().stream().map(ChatMessageView::id).toList();
    }

    /** Keeps room {@code roomId} with its members (the read markers' foreign key wants the room). */
    private static void persist(Database db, String roomId, String... users) throws Exception {
        List<RoomMembership> members = new ArrayList<>();
        for (String u : users) {
            members.add(new RoomMembership(u, members.isEmpty() ? "owner" : "member"));
        }
        await(new JdbcRoomStore(db).persist(new RoomRecord(roomId, false, users[0], 1L), "Room " + roomId, members,
                List.of()));
    }

    /**
     * Naming a room hands over its in-memory history: an edited or deleted message stays so in the table, and the
     * members who were there start with it read.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.presence.signaling.jdbc.TestDatabase#kinds")
    void namingKeepsTheEditsAndDeletesOfTheHistoryItHandsOverAndStartsItRead(String kind) throws Exception {
        try (TestDatabase test = TestDatabase.create(kind); Database db = test.open()) {
            List<ChatMessageView> history = List.of(
                    new ChatMessageView(1, 10, "m-u1", "u1", "Ann", "fixed typo", null, "c1", 20L, null, null, null,
                            null, null),
                    new ChatMessageView(2, 11, "m-u2", "u2", "Bob", "", null, "c2", null, null, null, true, "u1",
                            "spam"),
                    new ChatMessageView(3, 12, "m-u2", "u2", "Bob", "plain", 1L, "c3"));
            await(new JdbcRoomStore(db).persist(new RoomRecord("named", false, "u1", 1L), "Named",
                    List.of(new RoomMembership("u1", "owner"), new RoomMembership("u2", "member")), history));

            ChatLog log = new JdbcChatStore(db).open("named");
            ChatPage page = found(log.page(null, null, 10));
            assertEquals(history, page.messages());

            // The members saw the history live: it starts read; what comes after counts.
            JdbcRoomStore rooms = new JdbcRoomStore(db);
            assertEquals(List.of(new RoomSummary("named", "Named", 0)), await(rooms.roomsOf("u2")));
            append(log, "u1", "after naming");
            assertEquals(List.of(new RoomSummary("named", "Named", 1)), await(rooms.roomsOf("u2")));
            assertEquals(List.of(new RoomSummary("named", "Named", 0)), await(rooms.roomsOf("u1")));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.presence.signaling.jdbc.TestDatabase#kinds")
    void editsAndDeletesAreKeptAndPagedAndADeletedBodyIsWipedFromTheTable(String kind) throws Exception {
        try (TestDatabase test = TestDatabase.create(kind); Database db = test.open()) {
            persist(db, "room-e", "u1", "u2");
            ChatLog log = new JdbcChatStore(db, 10).open("room-e");
            long first = append(log, "u1", "first");
            long second = append(log, "u2", "secnd");

            ChatMessageView edited = assertInstanceOf(ChangeResult.Changed.class,
                    await(log.edit(second, "second ✏️", AT, "u1", "typo", ALLOW))).message();
            assertEquals("second ✏️", edited.text());
            assertEquals(AT, edited.editedAt());
            assertEquals("u1", edited.editedBy(), "edited by someone other than the sender");
            assertEquals("typo", edited.editReason());

            ChangeResult.Refused no = new ChangeResult.Refused(ErrorCode.FORBIDDEN, "no");
            assertEquals(no, await(log.edit(first, "hijacked", AT, "u2", null, current -> no)));
            assertEquals(no, await(log.delete(first, AT, "u2", null, current -> no)));
            assertEquals(new ChangeResult.UnknownMessage(99), await(log.edit(99, "x", AT, "u1", null, ALLOW)));
            assertEquals(new ChangeResult.UnknownMessage(99), await(log.delete(99, AT, "u1", null, ALLOW)));

            ChatMessageView deleted = assertInstanceOf(ChangeResult.Changed.class,
                    await(log.delete(first, AT + 1, "u1", null, ALLOW))).message();
            assertEquals("", deleted.text());
            assertEquals(Boolean.TRUE, deleted.deleted());
            assertInstanceOf(ChangeResult.Unchanged.class, await(log.delete(first, AT + 2, "u1", null, ALLOW)));

            // A fresh store holds nothing in memory: what it pages comes from the table.
            ChatPage page = found(new JdbcChatStore(db, 0).open("room-e").page(null, null, 10));
            assertEquals(List.of(deleted, edited), page.messages());
            ChatMessageView fromTable = page.messages().get(0);
            assertEquals("u1", fromTable.deletedBy());
            assertNull(fromTable.deleteReason());
            assertEquals(first, fromTable.id());
            assertEquals("u1", fromTable.fromUserId());
            try (Connection c = db.dataSource().getConnection(); PreparedStatement s = c.prepareStatement(
                    "SELECT body, deleted_at FROM messages WHERE room_id = ? AND id = ?")) {
                s.setString(1, "room-e");
                s.setLong(2, first);
                try (ResultSet rs = s.executeQuery()) {
                    assertTrue(rs.next());
                    assertEquals("", rs.getString(1), "the body is gone from the table, not hidden");
                    assertEquals(AT + 1, rs.getLong(2));
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.presence.signaling.jdbc.TestDatabase#kinds")
    void readMarkersMoveForwardAndUnreadCountsEveryRoomOfAUser(String kind) throws Exception {
        try (TestDatabase test = TestDatabase.create(kind)) {
            try (Database db = test.open()) {
                persist(db, "room-a", "u1", "u2");
                persist(db, "room-b", "u2", "u1");
                persist(db, "room-c", "u3", "u2");
                JdbcChatStore chats = new JdbcChatStore(db, 10);
                ChatLog a = chats.open("room-a");
                for (int i = 1; i <= 3; i++) {
                    append(a, "u1", "a" + i);
                }
                append(a, "u2", "own");
                ChatLog b = chats.open("room-b");
                append(b, "u1", "b1");
                JdbcRoomStore rooms = new JdbcRoomStore(db);
                assertEquals(List.of(new RoomSummary("room-a", "Room room-a", 3),
                        new RoomSummary("room-b", "Room room-b", 1), new RoomSummary("room-c", "Room room-c", 0)),
                        await(rooms.roomsOf("u2")), "u2's own message is not unread");
                assertEquals(List.of(new RoomSummary("room-a", "Room room-a", 1),
                        new RoomSummary("room-b", "Room room-b", 0)), await(rooms.roomsOf("u1")));

                assertEquals(new ReadResult.Moved(2), await(a.markRead("u2", 2)));
                assertEquals(new ReadResult.Kept(2), await(a.markRead("u2", 1)));
                assertEquals(new ReadResult.Kept(2), await(a.markRead("u2", 2)));
                assertEquals(new ReadResult.UnknownMessage(99), await(a.markRead("u2", 99)));
                assertEquals(new ReadResult.UnknownMessage(2), await(b.markRead("u2", 2)),
                        "another room's id is no message of this room");
                assertEquals(1, await(rooms.roomsOf("u2")).get(0).unread());
                assertInstanceOf(ChangeResult.Changed.class, await(a.delete(3, AT, "u1", null, ALLOW)));
                assertEquals(0, await(rooms.roomsOf("u2")).get(0).unread(), "a deleted message is not unread");
                assertEquals(new ReadResult.Moved(1), await(b.markRead("u2", 1)));
            }
            try (Database db = test.open()) {
                assertEquals(List.of(new RoomSummary("room-a", "Room room-a", 0),
                        new RoomSummary("room-b", "Room room-b", 0), new RoomSummary("room-c", "Room room-c", 0)),
                        await(new JdbcRoomStore(db).roomsOf("u2")), "markers are kept across a new pool");
                assertEquals(new ReadResult.Kept(2),
                        await(new JdbcChatStore(db, 10).open("room-a").markRead("u2", 2)));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.presence.signaling.jdbc.TestDatabase#kinds")
    void pagesBothWaysFromMemoryAndFromTheDatabase(String kind) throws Exception {
        try (TestDatabase test = TestDatabase.create(kind)) {
            Database db = test.open();
            try {
                persist(db, "room-p", "u1");
                ChatLog log = new JdbcChatStore(db, 3).open("room-p");
                for (int i = 1; i <= 6; i++) {
                    append(log, "u1", "m" + i);
                }
                ChatPage newest = found(log.page(null, null, 2));
                assertEquals(List.of(5L, 6L), ids(newest));
                assertTrue(newest.hasMore());
                ChatPage fromDb = found(log.page(null, 1L, 2));
                assertEquals(List.of(2L, 3L), ids(fromDb));
                assertTrue(fromDb.hasMore());
                ChatPage olderFromDb = found(log.page(5L, null, 3));
                assertEquals(List.of(2L, 3L, 4L), ids(olderFromDb));
                assertTrue(olderFromDb.hasMore());
                ChatPage oldest = found(log.page(3L, null, 5));
                assertEquals(List.of(1L, 2L), ids(oldest));
                assertFalse(oldest.hasMore());
                assertEquals(new PageResult.UnknownCursor("after", 99), await(log.page(null, 99L, 2)));
                assertEquals(new PageResult.UnknownCursor("before", 99), await(log.page(99L, null, 2)));

                // Appends and edits after the seed land in memory too.
                append(log, "u1", "m7");
                assertInstanceOf(ChangeResult.Changed.class, await(log.edit(6, "m6 edited", AT, "u1", null, ALLOW)));
                assertInstanceOf(ChangeResult.Changed.class, await(log.delete(7, AT, "u1", null, ALLOW)));
                ChatPage another = found(new JdbcChatStore(db, 3).open("room-p").page(null, null, 3));

                // Without the database, pages within the recent messages are still served: they never query it.
                db.close();
                ChatPage cachedNewest = found(log.page(null, null, 3));
                assertEquals(another, cachedNewest, "memory and table agree");
                assertEquals(List.of(5L, 6L, 7L), ids(cachedNewest));
                assertEquals("m6 edited", cachedNewest.messages().get(1).text());
                assertEquals(Boolean.TRUE, cachedNewest.messages().get(2).deleted());
                ChatPage cachedAfter = found(log.page(null, 5L, 5));
                assertEquals(List.of(6L, 7L), ids(cachedAfter));
                assertFalse(cachedAfter.hasMore());
                ChatPage cachedBefore = found(log.page(7L, null, 1));
                assertEquals(List.of(6L), ids(cachedBefore));
                assertTrue(cachedBefore.hasMore());
                // A page reaching below them needs the database, which is gone.
                assertThrows(ExecutionException.class, () -> await(log.page(5L, null, 2)));
            } finally {
                db.close();
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.presence.signaling.jdbc.TestDatabase#kinds")
    void anEditRoundTripsUtf8mb4(String kind) throws Exception {
        String text = "edited 😀👩‍👩‍👧 e\u0301 שלום مرحبا";
        String reason = "причина 🙂";
        try (TestDatabase test = TestDatabase.create(kind); Database db = test.open()) {
            persist(db, "room-ü", "user-🙂", "u2");
            ChatLog log = new JdbcChatStore(db, 0).open("room-ü");
            long id = append(log, "u2", "x");
            await(log.edit(id, text, AT, "user-🙂", reason, ALLOW));
            ChatMessageView read = found(new JdbcChatStore(db, 0).open("room-ü").page(null, null, 1)).messages().get(0);
            assertEquals(text, read.text());
            assertEquals(reason, read.editReason());
            assertEquals("user-🙂", read.editedBy());
        }
    }
}
