package io.presence.signaling.jdbc;

import io.presence.signaling.protocol.ChatMessageView;
import io.presence.signaling.storage.ChatDraft;
import io.presence.signaling.storage.ChatLog;
import io.presence.signaling.storage.RoomMembership;
import io.presence.signaling.storage.RoomRecord;
import io.presence.signaling.storage.RoomSummary;
import io.presence.signaling.storage.StorageUnavailableException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The room lifecycle in {@link JdbcRoomStore} on embedded H2 and on MariaDB: memberships with display names,
 * rename, settings, and close deleting the room with its members, chat and dependent rows in one transaction.
 */
class RoomLifecycleStoreTest {

    private static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private static RoomRecord record(String id) {
        return new RoomRecord(id, false, "dev:ann", 1_700_000_000_000L);
    }

    private static ChatDraft draft(String user, String text, String clientMsgId) {
        return new ChatDraft(1_700_000_000_000L, "m-" + user, user, "Name " + user, text, null, clientMsgId);
    }

    private static long count(Database db, String sql) throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void execute(Database db, String sql) throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.presence.signaling.jdbc.TestDatabase#kinds")
    void membershipsKeepRolesAndTheLastDisplayName(String kind) throws Exception {
        try (TestDatabase test = TestDatabase.create(kind)) {
            try (Database db = test.open()) {
                JdbcRoomStore rooms = new JdbcRoomStore(db);
                await(rooms.persist(record("r1"), "Team", List.of(new RoomMembership("dev:ann", "owner", "Ann 😀"),
                        new RoomMembership("dev:bob", "member", null)), List.of()));
                await(rooms.addMember("r1", new RoomMembership("dev:cy", "member", "שלום Cy")));
                await(rooms.addMember("r1", new RoomMembership("dev:bob", "member", "Bob")));
            }
            try (Database db = test.open()) {
                JdbcRoomStore rooms = new JdbcRoomStore(db);
                assertEquals(List.of(new RoomMembership("dev:ann", "owner", "Ann 😀"),
                                new RoomMembership("dev:bob", "member", "Bob"),
                                new RoomMembership("dev:cy", "member", "שלום Cy")),
                        await(rooms.members("r1")), "kept across a new pool, one row per user");
                assertEquals(List.of(new RoomSummary("r1", "Team", 0)), await(rooms.roomsOf("dev:cy")));
                assertEquals(List.of(), await(rooms.members("unknown")));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.presence.signaling.jdbc.TestDatabase#kinds")
    void renameAndSettingsAreKept(String kind) throws Exception {
        try (TestDatabase test = TestDatabase.create(kind)) {
            try (Database db = test.open()) {
                JdbcRoomStore rooms = new JdbcRoomStore(db);
                await(rooms.persist(record("r1"), "Team", List.of(new RoomMembership("dev:ann", "owner", "Ann")),
                        List.of()));
                await(rooms.rename("r1", "Renamed 🎉"));
                await(rooms.updateSettings("r1", true));
            }
            try (Database db = test.open()) {
                JdbcRoomStore rooms = new JdbcRoomStore(db);
                assertEquals(List.of(new RoomSummary("r1", "Renamed 🎉", 0)), await(rooms.roomsOf("dev:ann")));
                Optional<RoomRecord> loaded = await(rooms.load("r1"));
                assertTrue(loaded.orElseThrow().relayOnly());
                await(rooms.updateSettings("r1", false));
                assertFalse(await(rooms.load("r1")).orElseThrow().relayOnly());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.presence.signaling.jdbc.TestDatabase#kinds")
    void closeDeletesTheRoomWithItsMembersChatAndDependentRows(String kind) throws Exception {
        try (TestDatabase test = TestDatabase.create(kind); Database db = test.open()) {
            JdbcRoomStore rooms = new JdbcRoomStore(db);
            JdbcChatStore chats = new JdbcChatStore(db);
            for (String id : List.of("r1", "r2")) {
                await(rooms.persist(record(id), "Room " + id, List.of(new RoomMembership("dev:ann", "owner", "Ann"),
                        new RoomMembership("dev:bob", "member", "Bob")), List.of()));
                ChatLog log = chats.open(id);
                await(log.append(draft("dev:ann", "hello", "c1")));
                await(log.append(draft("dev:bob", "hi", "c1")));
            }
            // Read markers hang off rooms: their rows go with the room.
            execute(db, "INSERT INTO read_markers (room_id, user_id, message_id) VALUES ('r1', 'dev:ann', 2),"
                    + " ('r2', 'dev:ann', 2)");
            assertTrue(rooms.isPersistent("r1"));

            await(rooms.close("r1"));

            assertEquals(Optional.empty(), await(rooms.load("r1")));
            assertFalse(rooms.isPersistent("r1"), "its chat is no longer routed to the database");
            assertEquals(List.of(), await(rooms.members("r1")));
            // Bob has not read Ann's message in r2 (his own does not count).
            assertEquals(List.of(new RoomSummary("r2", "Room r2", 1)), await(rooms.roomsOf("dev:bob")));
            assertEquals(0, count(db, "SELECT COUNT(*) FROM messages WHERE room_id = 'r1'"));
            assertEquals(0, count(db, "SELECT COUNT(*) FROM read_markers WHERE room_id = 'r1'"));
            assertEquals(2, count(db, "SELECT COUNT(*) FROM messages WHERE room_id = 'r2'"), "others untouched");
            assertEquals(1, count(db, "SELECT COUNT(*) FROM read_markers WHERE room_id = 'r2'"));
            assertEquals(List.of("hello", "hi"),
                    await(chats.open("r2").page(null, 10)).messages().stream().map(ChatMessageView::text).toList());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.presence.signaling.jdbc.TestDatabase#kinds")
    void aCloseThatFailsHalfwayChangesNothing(String kind) throws Exception {
        try (TestDatabase test = TestDatabase.create(kind); Database db = test.open()) {
            JdbcRoomStore rooms = new JdbcRoomStore(db);
            await(rooms.persist(record("r1"), "Team", List.of(new RoomMembership("dev:ann", "owner", "Ann")),
                    List.of()));
            await(new JdbcChatStore(db).open("r1").append(draft("dev:ann", "hello", "c1")));
            // A row that forbids deleting the room: the last statement of the close fails after the first ones ran.
            execute(db, "CREATE TABLE pins_test (room_id VARCHAR(128) NOT NULL,"
                    + " CONSTRAINT fk_pins_test FOREIGN KEY (room_id) REFERENCES rooms (id))");
            execute(db, "INSERT INTO pins_test VALUES ('r1')");

            ExecutionException failed = assertThrows(ExecutionException.class, () -> await(rooms.close("r1")));
            assertInstanceOf(StorageUnavailableException.class, failed.getCause());

            assertTrue(await(rooms.load("r1")).isPresent());
            assertTrue(rooms.isPersistent("r1"));
            assertEquals(List.of(new RoomMembership("dev:ann", "owner", "Ann")), await(rooms.members("r1")));
            assertEquals(1, count(db, "SELECT COUNT(*) FROM messages WHERE room_id = 'r1'"), "rolled back");
        }
    }

    /** The host-platform API's view of a kept room: its name and how many messages its chat keeps. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.presence.signaling.jdbc.TestDatabase#kinds")
    void detailsCountTheKeptMessages(String kind) throws Exception {
        try (TestDatabase test = TestDatabase.create(kind); Database db = test.open()) {
            JdbcRoomStore rooms = new JdbcRoomStore(db);
            JdbcChatStore chats = new JdbcChatStore(db);
            await(rooms.persist(record("r1"), "Team", List.of(new RoomMembership("dev:ann", "owner", "Ann")),
                    List.of()));
            await(rooms.persist(record("r2"), "Other", List.of(), List.of()));
            assertEquals(Optional.of(new io.presence.signaling.storage.RoomDetails("r1", "Team", 0)),
                    await(rooms.details("r1")));
            ChatLog log = chats.open("r1");
            await(log.append(draft("dev:ann", "hello", "c1")));
            await(log.append(draft("system", "notice", null)));
            await(chats.open("r2").append(draft("dev:ann", "elsewhere", "c1")));
            await(rooms.rename("r1", "Crew"));
            assertEquals(Optional.of(new io.presence.signaling.storage.RoomDetails("r1", "Crew", 2)),
                    await(rooms.details("r1")));
            assertEquals(Optional.empty(), await(rooms.details("unknown")));
        }
    }
}
