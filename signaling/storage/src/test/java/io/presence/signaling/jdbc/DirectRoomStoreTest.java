package io.presence.signaling.jdbc;

import io.presence.signaling.storage.RoomMembership;
import io.presence.signaling.storage.RoomRecord;
import io.presence.signaling.storage.RoomSummary;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Direct rooms and kicked memberships in {@link JdbcRoomStore} on embedded H2 and on MariaDB: two appliances (two
 * pools on one database) keeping the same direct rooms at once keep each once, without a failure; a removed
 * membership takes its read marker with it.
 */
class DirectRoomStoreTest {
    static final int PAIRS = 20;

    private static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private static long count(Database db, String sql) throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static List<RoomMembership> pair(String a, String b) {
        return List.of(new RoomMembership(a, "member", null), new RoomMembership(b, "member", null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.presence.signaling.jdbc.TestDatabase#kinds")
    void twoAppliancesKeepingTheSameDirectRoomsAtOnceKeepEachOnce(String kind) throws Exception {
        try (TestDatabase test = TestDatabase.create(kind); Database one = test.open(); Database two = test.open()) {
            JdbcRoomStore first = new JdbcRoomStore(one);
            JdbcRoomStore second = new JdbcRoomStore(two);
            CountDownLatch start = new CountDownLatch(1);
            List<CompletableFuture<Void>> writes = new ArrayList<>();
            List<Thread> threads = new ArrayList<>();
            for (JdbcRoomStore store : List.of(first, second)) {
                String me = store == first ? "dev:ann" : "dev:bob";
                Thread t = new Thread(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    for (int i = 0; i < PAIRS; i++) {
                        RoomRecord record = new RoomRecord("d" + i, false, me, i, true);
                        synchronized (writes) {
                            writes.add(store.keepDirect(record, pair("dev:ann", "dev:bob" + i))
                                    .toCompletableFuture());
                        }
                    }
                });
                threads.add(t);
                t.start();
            }
            start.countDown();
            for (Thread t : threads) {
                t.join(30_000);
            }
            for (CompletableFuture<Void> w : writes) {
                await(w); // the second keep of an id is no failure
            }
            assertEquals(2 * PAIRS, writes.size());
            assertEquals(PAIRS, count(one, "SELECT COUNT(*) FROM rooms WHERE direct"));
            assertEquals(2 * PAIRS, count(one, "SELECT COUNT(*) FROM members"), "two memberships per room");

            Optional<RoomRecord> loaded = await(first.load("d3"));
            assertTrue(loaded.orElseThrow().direct());
            assertTrue(first.isPersistent("d3") && second.isPersistent("d3"));
            assertEquals(List.of(new RoomSummary("d7", "", 0, true, "dev:ann")), await(second.roomsOf("dev:bob7")));
            await(first.keepDirect(new RoomRecord("d7", true, "dev:bob7", 99, true), pair("dev:ann", "dev:bob7")));
            assertTrue(!await(first.load("d7")).orElseThrow().relayOnly(), "a later keep changes nothing");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.presence.signaling.jdbc.TestDatabase#kinds")
    void aRemovedMembershipTakesItsReadMarkerAndLeavesTheOthers(String kind) throws Exception {
        try (TestDatabase test = TestDatabase.create(kind); Database db = test.open()) {
            JdbcRoomStore rooms = new JdbcRoomStore(db);
            await(rooms.persist(new RoomRecord("r1", false, "dev:ann", 0), "Team", List.of(
                    new RoomMembership("dev:ann", "owner", "Ann"), new RoomMembership("dev:eve", "member", "Eve")),
                    List.of()));
            try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
                s.execute("INSERT INTO read_markers (room_id, user_id, message_id) VALUES ('r1', 'dev:ann', 1),"
                        + " ('r1', 'dev:eve', 1)");
            }
            await(rooms.removeMember("r1", "dev:eve"));
            await(rooms.removeMember("r1", "dev:nobody"));
            assertEquals(List.of(new RoomMembership("dev:ann", "owner", "Ann")), await(rooms.members("r1")));
            assertEquals(List.of(), await(rooms.roomsOf("dev:eve")));
            assertEquals(1, count(db, "SELECT COUNT(*) FROM read_markers WHERE room_id = 'r1'"));
            assertEquals(List.of(new RoomSummary("r1", "Team", 0)), await(rooms.roomsOf("dev:ann")));
        }
    }
}
