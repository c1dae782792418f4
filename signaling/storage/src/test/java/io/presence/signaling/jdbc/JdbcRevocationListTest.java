package io.presence.signaling.jdbc;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Revocations on embedded H2 and on MariaDB: in effect at once, durable across a restart, only ever moved forward. */
class JdbcRevocationListTest {

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.presence.signaling.jdbc.TestDatabase#kinds")
    void revocationsSurviveARestartAndOnlyMoveForward(String kind) throws Exception {
        try (TestDatabase test = TestDatabase.create(kind)) {
            try (Database db = test.open()) {
                JdbcRevocationList list = JdbcRevocationList.load(db);
                assertEquals(OptionalLong.empty(), list.revokedAt("friend:ann"));
                var pending = list.revoke("friend:ann", 1_000L);
                assertEquals(OptionalLong.of(1_000L), list.revokedAt("friend:ann"), "in effect before it is written");
                pending.toCompletableFuture().get(30, TimeUnit.SECONDS);
                list.revoke("friend:ann", 3_000L).toCompletableFuture().get(30, TimeUnit.SECONDS);
                list.revoke("friend:ann", 2_000L).toCompletableFuture().get(30, TimeUnit.SECONDS);
                list.revoke("dev:bob", 5_000L).toCompletableFuture().get(30, TimeUnit.SECONDS);
                assertEquals(OptionalLong.of(3_000L), list.revokedAt("friend:ann"));
            }
            try (Database db = test.open()) {
                JdbcRevocationList list = JdbcRevocationList.load(db);
                assertEquals(OptionalLong.of(3_000L), list.revokedAt("friend:ann"), "an earlier one moved nothing");
                assertEquals(OptionalLong.of(5_000L), list.revokedAt("dev:bob"));
                assertEquals(OptionalLong.empty(), list.revokedAt("dev:cy"));
                try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM revocations")) {
                    rs.next();
                    assertEquals(2, rs.getInt(1), "one row per user");
                }
            }
        }
    }
}
