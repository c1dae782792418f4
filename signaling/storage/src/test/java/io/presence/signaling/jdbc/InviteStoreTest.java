package io.presence.signaling.jdbc;

import io.presence.signaling.storage.InviteKind;
import io.presence.signaling.storage.InviteRecord;
import io.presence.signaling.storage.Redemption;
import io.presence.signaling.storage.RoomMembership;
import io.presence.signaling.storage.RoomRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link JdbcInviteStore} on embedded H2 and on MariaDB. */
class InviteStoreTest {
    private static final long NOW = 1_700_000_000_000L;
    private static final long DAY = 86_400_000L;

    private static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private static InviteRecord invite(String id, String roomId, InviteKind kind, String target, long expiresAt) {
        return new InviteRecord(id, roomId, hash(id), kind, target, "dev:ann", NOW, expiresAt, null, 0);
    }

    /** A stand-in for a token's SHA-256 hex: 64 characters, distinct per invite. */
    private static String hash(String id) {
        return (id + "0".repeat(64)).substring(0, 64);
    }

    private static long count(Database db, String sql) throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void room(Database db, String id) throws Exception {
        await(new JdbcRoomStore(db).persist(new RoomRecord(id, false, "dev:ann", NOW), "Team " + id,
                List.of(new RoomMembership("dev:ann", "owner", "Ann")), List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.presence.signaling.jdbc.TestDatabase#kinds")
    void anInviteIsFoundByItsHashAndOutlivesThePool(String kind) throws Exception {
        try (TestDatabase test = TestDatabase.create(kind)) {
            InviteRecord kept = invite("i1", "r1", InviteKind.SINGLE, null, NOW + DAY);
            try (Database db = test.open()) {
                room(db, "r1");
                assertEquals(List.of(), await(new JdbcInviteStore(db).create(kept)));
            }
            try (Database db = test.open()) {
                JdbcInviteStore invites = new JdbcInviteStore(db);
                assertEquals(Optional.of(kept), await(invites.byTokenHash(hash("i1"))));
                assertEquals(Optional.of(kept), await(invites.byId("i1")));
                assertEquals(Optional.empty(), await(invites.byTokenHash(hash("i2"))));
                assertEquals(List.of(kept), await(invites.list("r1")));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.presence.signaling.jdbc.TestDatabase#kinds")
    void aSingleInviteLetsExactlyOneOfManyConcurrentRedemptionsThrough(String kind) throws Exception {
        try (TestDatabase test = TestDatabase.create(kind); Database db = test.open(test.withPoolSize(8))) {
            room(db, "r1");
            JdbcInviteStore invites = new JdbcInviteStore(db);
            await(invites.create(invite("once", "r1", InviteKind.SINGLE, null, NOW + DAY)));
            int threads = 8;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Redemption>> outcomes = new ArrayList<>();
            try {
                for (int i = 0; i < threads; i++) {
                    String user = "guest:" + i;
                    outcomes.add(pool.submit(() -> {
                        start.await();
                        return await(invites.redeem("once", new RoomMembership(user, "guest", user), NOW + 1));
                    }));
                }
                start.countDown();
                int won = 0;
                for (Future<Redemption> f : outcomes) {
                    Redemption r = f.get(60, TimeUnit.SECONDS);
                    if (r == Redemption.REDEEMED) {
                        won++;
                    } else {
                        assertEquals(Redemption.USED, r);
                    }
                }
                assertEquals(1, won, "exactly one winner");
            } finally {
                pool.shutdownNow();
            }
            assertEquals(1, await(invites.byId("once")).orElseThrow().uses());
            assertEquals(1, count(db, "SELECT COUNT(*) FROM invite_redemptions WHERE invite_id = 'once'"));
            assertEquals(1, count(db, "SELECT COUNT(*) FROM members WHERE room_id = 'r1' AND role = 'guest'"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.presence.signaling.jdbc.TestDatabase#kinds")
    void aPublicInviteLetsEveryOneOfManyConcurrentRedemptionsThrough(String kind) throws Exception {
        try (TestDatabase test = TestDatabase.create(kind); Database db = test.open(test.withPoolSize(8))) {
            room(db, "r1");
            JdbcInviteStore invites = new JdbcInviteStore(db);
            await(invites.create(invite("many", "r1", InviteKind.PUBLIC, null, NOW + DAY)));
            int threads = 8;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Redemption>> outcomes = new ArrayList<>();
            try {
                for (int i = 0; i < threads; i++) {
                    String user = "guest:" + i;
                    outcomes.add(pool.submit(() -> {
                        start.await();
                        return await(invites.redeem("many", new RoomMembership(user, "guest", user), NOW + 1));
                    }));
                }
                start.countDown();
                for (Future<Redemption> f : outcomes) {
                    assertEquals(Redemption.REDEEMED, f.get(60, TimeUnit.SECONDS));
                }
            } finally {
                pool.shutdownNow();
            }
            assertEquals(threads, await(invites.byId("many")).orElseThrow().uses());
            assertEquals(threads, count(db, "SELECT COUNT(*) FROM members WHERE room_id = 'r1' AND role = 'guest'"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.presence.signaling.jdbc.TestDatabase#kinds")
    void aRedemptionKeepsTheMembershipAndNeverLowersARole(String kind) throws Exception {
        try (TestDatabase test = TestDatabase.create(kind); Database db = test.open()) {
            room(db, "r1");
            JdbcInviteStore invites = new JdbcInviteStore(db);
            await(invites.create(invite("pub", "r1", InviteKind.PUBLIC, null, NOW + DAY)));
            assertEquals(Redemption.REDEEMED, await(invites.redeem("pub",
                    new RoomMembership("dev:bob", "member", "Bob"), NOW + 1)));
            assertEquals(Redemption.REDEEMED, await(invites.redeem("pub",
                    new RoomMembership("dev:ann", "member", "Ann"), NOW + 2)));
            assertEquals(Redemption.REDEEMED, await(invites.redeem("pub",
                    new RoomMembership("dev:bob", "member", "Bob"), NOW + 3)), "a public invite again");
            assertEquals(List.of(new RoomMembership("dev:ann", "owner", "Ann"),
                    new RoomMembership("dev:bob", "member", "Bob")), await(new JdbcRoomStore(db).members("r1")));
            assertEquals(3, await(invites.byId("pub")).orElseThrow().uses());
            assertEquals(2, count(db, "SELECT COUNT(*) FROM invite_redemptions WHERE invite_id = 'pub'"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.presence.signaling.jdbc.TestDatabase#kinds")
    void expiredRevokedUsedAndUnknownInvitesChangeNothing(String kind) throws Exception {
        try (TestDatabase test = TestDatabase.create(kind); Database db = test.open()) {
            room(db, "r1");
            JdbcInviteStore invites = new JdbcInviteStore(db);
            await(invites.create(invite("short", "r1", InviteKind.PUBLIC, null, NOW + 60_000)));
            await(invites.create(invite("gone", "r1", InviteKind.SINGLE, null, NOW + DAY)));
            await(invites.create(invite("used", "r1", InviteKind.SINGLE, null, NOW + DAY)));
            assertTrue(await(invites.revoke("r1", "gone", NOW + 1)));
            assertFalse(await(invites.revoke("r1", "gone", NOW + 2)), "revoked once");
            assertFalse(await(invites.revoke("other-room", "used", NOW + 2)), "only through its own room");
            RoomMembership cy = new RoomMembership("dev:cy", "member", "Cy");
            assertEquals(Redemption.REDEEMED, await(invites.redeem("used", cy, NOW + 3)));

            RoomMembership dan = new RoomMembership("dev:dan", "member", "Dan");
            assertEquals(Redemption.EXPIRED, await(invites.redeem("short", dan, NOW + 60_000)));
            assertEquals(Redemption.REVOKED, await(invites.redeem("gone", dan, NOW + 4)));
            assertEquals(Redemption.USED, await(invites.redeem("used", dan, NOW + 4)));
            assertEquals(Redemption.UNKNOWN, await(invites.redeem("nope", dan, NOW + 4)));
            assertEquals(0, count(db, "SELECT COUNT(*) FROM members WHERE user_id = 'dev:dan'"));
            assertEquals(0, count(db, "SELECT COUNT(*) FROM invite_redemptions WHERE user_id = 'dev:dan'"));
            assertEquals(0, await(invites.byId("short")).orElseThrow().uses());
            assertEquals(NOW + 1, await(invites.byId("gone")).orElseThrow().revokedAtMillis());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.presence.signaling.jdbc.TestDatabase#kinds")
    void aNewPublicInviteRevokesThePreviousOneOfItsRoomOnly(String kind) throws Exception {
        try (TestDatabase test = TestDatabase.create(kind); Database db = test.open()) {
            room(db, "r1");
            room(db, "r2");
            JdbcInviteStore invites = new JdbcInviteStore(db);
            assertEquals(List.of(), await(invites.create(invite("p1", "r1", InviteKind.PUBLIC, null, NOW + DAY))));
            await(invites.create(invite("p2", "r2", InviteKind.PUBLIC, null, NOW + DAY)));
            await(invites.create(invite("s1", "r1", InviteKind.SINGLE, null, NOW + DAY)));
            assertEquals(List.of("p1"), await(invites.create(invite("p3", "r1", InviteKind.PUBLIC, null, NOW + DAY))));
            assertTrue(await(invites.byId("p1")).orElseThrow().revoked());
            assertFalse(await(invites.byId("p2")).orElseThrow().revoked(), "another room's");
            assertFalse(await(invites.byId("s1")).orElseThrow().revoked(), "not public");
            assertFalse(await(invites.byId("p3")).orElseThrow().revoked());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.presence.signaling.jdbc.TestDatabase#kinds")
    void pendingListsTheTargetedInvitesAUserCanStillAccept(String kind) throws Exception {
        try (TestDatabase test = TestDatabase.create(kind); Database db = test.open()) {
            room(db, "r1");
            JdbcInviteStore invites = new JdbcInviteStore(db);
            InviteRecord open = invite("t1", "r1", InviteKind.TARGETED, "dev:bob", NOW + DAY);
            await(invites.create(open));
            await(invites.create(invite("t2", "r1", InviteKind.TARGETED, "dev:bob", NOW + 10)));
            await(invites.create(invite("t3", "r1", InviteKind.TARGETED, "dev:bob", NOW + DAY)));
            await(invites.create(invite("t4", "r1", InviteKind.TARGETED, "dev:cy", NOW + DAY)));
            await(invites.revoke("r1", "t3", NOW + 1));
            assertEquals(List.of(open), await(invites.pending("dev:bob", NOW + 10)));
            await(invites.redeem("t1", new RoomMembership("dev:bob", "member", "Bob"), NOW + 11));
            assertEquals(List.of(), await(invites.pending("dev:bob", NOW + 12)));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.presence.signaling.jdbc.TestDatabase#kinds")
    void closingARoomDeletesItsInvitesAndRedemptions(String kind) throws Exception {
        try (TestDatabase test = TestDatabase.create(kind); Database db = test.open()) {
            room(db, "r1");
            room(db, "r2");
            JdbcInviteStore invites = new JdbcInviteStore(db);
            await(invites.create(invite("a", "r1", InviteKind.PUBLIC, null, NOW + DAY)));
            await(invites.create(invite("b", "r2", InviteKind.PUBLIC, null, NOW + DAY)));
            await(invites.redeem("a", new RoomMembership("dev:bob", "member", "Bob"), NOW + 1));
            await(invites.redeem("b", new RoomMembership("dev:bob", "member", "Bob"), NOW + 1));
            await(new JdbcRoomStore(db).close("r1"));
            assertEquals(Optional.empty(), await(invites.byTokenHash(hash("a"))));
            assertEquals(List.of(), await(invites.list("r1")));
            assertEquals(0, count(db, "SELECT COUNT(*) FROM invite_redemptions WHERE invite_id = 'a'"));
            assertTrue(await(invites.byId("b")).isPresent(), "another room's stays");
            assertEquals(1, count(db, "SELECT COUNT(*) FROM invite_redemptions WHERE invite_id = 'b'"));
        }
    }
}
