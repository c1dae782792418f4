package io.presence.signaling.jdbc;

import io.presence.signaling.protocol.ChatMessageView;
import io.presence.signaling.storage.AppendResult;
import io.presence.signaling.storage.ChatDraft;
import io.presence.signaling.storage.ChatLog;
import io.presence.signaling.storage.RoomRecord;
import io.presence.signaling.storage.RoomSummary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every upgrade path this build can meet, on H2 and MariaDB: for each versioned migration on the class path
 * (found, not listed, so migrations added later are covered), a database at that version holding rows written
 * the way V1 wrote them (a room, members, messages in several scripts) is migrated to the latest and still reads
 * back through the stores, and Flyway's validation passes. Also what must stop a start: a migration that failed,
 * one the database has but this build lacks, and one below the applied version.
 */
class MigrationPathTest {
    private static final String ROOM = "room-ü-1";
    private static final String NAME = "Team 😀 שלום";
    private static final List<String> TEXTS = List.of(
            "emoji 😀👍🏽👩‍👩‍👧",                 // astral plane, skin tone modifier, zero-width joiner sequence
            "combining e\u0301 a\u0308 \u0915\u094D\u0937", // combining accents, Devanagari conjunct
            "שלום עולם، مرحبا بالعالم",          // right to left: Hebrew and Arabic
            "mixed ltr \u202Eevil\u202C and 𝔘𝔫𝔦𝔠𝔬𝔡𝔢");

    private static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    /** Every database kind with every version this build carries. */
    static Stream<Arguments> paths() throws Exception {
        List<String> versions;
        java.nio.file.Path data = Files.createTempDirectory("presence-versions-");
        try (Database db = Database.open(TestDatabase.settings("", data, 1),
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry())) {
            versions = db.migrations().versions();
        } finally {
            try (Stream<java.nio.file.Path> files = Files.walk(data)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        List<Arguments> paths = new ArrayList<>();
        for (String kind : List.of("h2", "mariadb")) {
            for (String version : versions) {
                paths.add(Arguments.of(kind, version));
            }
        }
        return paths.stream();
    }

    @Test
    void theBuildCarriesTheFirstVersion() throws Exception {
        List<Arguments> found = paths().toList();
        assertTrue(found.stream().anyMatch(a -> a.get()[1].equals("1")), "V1 not found on the class path");
    }

    @ParameterizedTest(name = "{0} from V{1}")
    @MethodSource("paths")
    void dataWrittenAtAnEarlierVersionReadsBackAfterMigratingToTheLatest(String kind, String from) throws Exception {
        try (TestDatabase test = TestDatabase.create(kind);
             Database db = Database.open(test.settings, test.registry)) {
            Migrations migrations = db.migrations();
            List<String> versions = migrations.versions();
            assertTrue(migrations.migrateTo(from) >= 1);
            assertEquals(from, migrations.currentVersion());
            seedAsV1Wrote(db);

            assertEquals(versions.size() - versions.indexOf(from) - 1, migrations.migrate());
            assertEquals(versions.get(versions.size() - 1), migrations.currentVersion());
            migrations.validate();

            JdbcRoomStore rooms = new JdbcRoomStore(db);
            Optional<RoomRecord> room = await(rooms.load(ROOM));
            assertTrue(room.isPresent(), "the seeded room is gone");
            assertEquals("dev:ann", room.get().createdBy());
            assertFalse(room.get().relayOnly());
            for (String user : List.of("dev:ann", "dev:bob")) {
                List<RoomSummary> listed = await(rooms.roomsOf(user));
                assertEquals(List.of(ROOM), listed.stream().map(RoomSummary::roomId).toList(), user);
                assertEquals(List.of(NAME), listed.stream().map(RoomSummary::name).toList(), user);
            }
            ChatLog log = new JdbcChatStore(db).open(ROOM);
            List<ChatMessageView> history = await(log.page(null, 10)).messages();
            assertEquals(TEXTS, history.stream().map(ChatMessageView::text).toList(), "utf8mb4 round trip");
            assertEquals(List.of(1L, 2L, 3L, 4L), history.stream().map(ChatMessageView::id).toList());
            assertEquals("Ann 😀", history.get(0).fromName());
            AppendResult retry = await(log.append(new ChatDraft(2L, "m-ann", "dev:ann", "Ann", TEXTS.get(0), null,
                    "c0")));
            assertEquals(1L, assertInstanceOf(AppendResult.Duplicate.class, retry).earlier().id(),
                    "a send is still idempotent after the upgrade");
            AppendResult next = await(log.append(new ChatDraft(3L, "m-bob", "dev:bob", "Bob", "after", 2L, "c9")));
            assertEquals(5L, assertInstanceOf(AppendResult.Stored.class, next).message().id());
        }
    }

    /** Rows as V1's columns hold them, written by plain SQL (not the stores, which follow the latest schema). */
    private static void seedAsV1Wrote(Database db) throws Exception {
        try (Connection c = db.dataSource().getConnection()) {
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT INTO rooms (id, name, relay_only, created_by, created_at) VALUES (?, ?, ?, ?, ?)")) {
                s.setString(1, ROOM);
                s.setString(2, NAME);
                s.setBoolean(3, false);
                s.setString(4, "dev:ann");
                s.setLong(5, 1_700_000_000_000L);
                s.executeUpdate();
            }
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT INTO members (room_id, user_id, role) VALUES (?, ?, ?)")) {
                for (String[] m : new String[][] {{"dev:ann", "owner"}, {"dev:bob", "member"}}) {
                    s.setString(1, ROOM);
                    s.setString(2, m[0]);
                    s.setString(3, m[1]);
                    s.executeUpdate();
                }
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO messages (room_id, id, ts, member_id, user_id,"
                    + " user_name, body, reply_to, client_msg_id) VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?)")) {
                for (int i = 0; i < TEXTS.size(); i++) {
                    s.setString(1, ROOM);
                    s.setLong(2, i + 1);
                    s.setLong(3, 1_700_000_000_000L + i);
                    s.setString(4, i % 2 == 0 ? "m-ann" : "m-bob");
                    s.setString(5, i % 2 == 0 ? "dev:ann" : "dev:bob");
                    s.setString(6, i % 2 == 0 ? "Ann 😀" : "בוב");
                    s.setString(7, TEXTS.get(i));
                    s.setString(8, "c" + i);
                    s.executeUpdate();
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.presence.signaling.jdbc.TestDatabase#kinds")
    void aFailedMigrationStopsTheStartWithOneLine(String kind) throws Exception {
        try (TestDatabase test = TestDatabase.create(kind)) {
            try (Database db = test.open(); Connection c = db.dataSource().getConnection();
                 Statement s = c.createStatement()) {
                s.executeUpdate("UPDATE flyway_schema_history SET success = FALSE WHERE version = '1'");
            }
            assertRefused(test, "database migration failed: ", "failed");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.presence.signaling.jdbc.TestDatabase#kinds")
    void aDatabaseAheadOfThisBuildStopsTheStartWithOneLine(String kind) throws Exception {
        try (TestDatabase test = TestDatabase.create(kind)) {
            try (Database db = test.open(); Connection c = db.dataSource().getConnection();
                 Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO flyway_schema_history (installed_rank, version, description, type, script,"
                        + " checksum, installed_by, execution_time, success) VALUES (999, '999', 'from a newer build',"
                        + " 'SQL', 'V999__from_a_newer_build.sql', 0, 'test', 1, TRUE)");
            }
            assertRefused(test, "database migration failed: ", "999");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.presence.signaling.jdbc.TestDatabase#kinds")
    void aMigrationBelowTheAppliedVersionStopsTheStartWithOneLine(String kind) throws Exception {
        try (TestDatabase test = TestDatabase.create(kind)) {
            test.open().close();
            try (Database db = Database.open(test.settings, test.registry)) {
                Migrations late = new Migrations(db.dataSource(), Migrations.LOCATION, "classpath:db/out-of-order");
                StorageStartException e = assertThrows(StorageStartException.class, late::migrate);
                assertOneLine(e, "database migration failed: ", "0.5");
                StorageStartException invalid = assertThrows(StorageStartException.class, late::validate);
                assertOneLine(invalid, "database schema invalid: ", "0.5");
            }
        }
    }

    private static void assertRefused(TestDatabase test, String prefix, String names) throws Exception {
        try (Database db = Database.open(test.settings, test.registry)) {
            assertOneLine(assertThrows(StorageStartException.class, () -> db.migrations().migrate()), prefix, names);
            assertOneLine(assertThrows(StorageStartException.class, () -> db.migrations().validate()),
                    "database schema invalid: ", names);
        }
    }

    private static void assertOneLine(StorageStartException e, String prefix, String names) {
        String line = e.getMessage();
        assertTrue(line.startsWith(prefix), line);
        assertFalse(line.contains("\n") || line.contains("\r"), line);
        assertTrue(line.contains(names), line);
    }
}
