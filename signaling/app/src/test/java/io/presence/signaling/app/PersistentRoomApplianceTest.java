package io.presence.signaling.app;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.presence.signaling.app.config.ModuleSettings;
import io.presence.signaling.app.config.PresenceConfig;
import io.presence.signaling.client.ClientSession;
import io.presence.signaling.client.SignalingClient;
import io.presence.signaling.client.SignalingException;
import io.presence.signaling.jdbc.Database;
import io.presence.signaling.jdbc.JdbcRoomStore;
import io.presence.signaling.storage.RoomMembership;
import io.presence.signaling.storage.RoomSummary;
import io.presence.signaling.protocol.ChatMessageView;
import io.presence.signaling.protocol.ServerMessage;
import io.presence.signaling.storage.RoomRecord;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The appliance keeps a persistent room and its chat in its database across a restart (the embedded H2 in
 * server.dataDir, and MariaDB through storage.url); an ephemeral room is gone after one. MariaDB is skipped when
 * unreachable, unless PRESENCE_E2E=required.
 */
class PersistentRoomApplianceTest {
    private static final String ROOM = "teamroom";

    private static final String MARIADB = "jdbc:mysql://127.0.0.1:3306/";

    @TempDir
    Path data;
    private String storageUrl = "";

    private PresenceConfig config() throws Exception {
        Map<String, String> env = TestConfigs.ephemeralEnv(data);
        env.put("PRESENCE_SIGNALING_DEV_AUTH", "true");
        if (!storageUrl.isEmpty()) {
            env.put("PRESENCE_STORAGE_URL", storageUrl);
            env.put("PRESENCE_STORAGE_USER", "root");
        }
        return PresenceConfig.load(null, env);
    }

    /** The embedded H2 in the data directory (the default), and a fresh database on the MariaDB server. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "mariadb"})
    void aPersistentRoomAndItsChatSurviveARestart(String kind) throws Exception {
        if (kind.equals("h2")) {
            aPersistentRoomAndItsChatSurviveARestartAndAnEphemeralRoomDoesNot();
            return;
        }
        String schema = "presence_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(MARIADB, "root", ""); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + schema + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
        } catch (SQLException e) {
            if ("required".equals(System.getenv("PRESENCE_E2E"))) {
                throw new AssertionError("MariaDB at 127.0.0.1:3306 is unreachable but PRESENCE_E2E=required", e);
            }
            Assumptions.abort("MariaDB at 127.0.0.1:3306 is unreachable (set PRESENCE_E2E=required to fail)");
        }
        storageUrl = MARIADB + schema;
        try {
            aPersistentRoomAndItsChatSurviveARestartAndAnEphemeralRoomDoesNot();
        } finally {
            try (Connection c = DriverManager.getConnection(MARIADB, "root", ""); Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + schema);
            }
        }
    }

    private Appliance started() throws Exception {
        Appliance a = new Appliance(config(), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        a.start();
        return a;
    }

    private void aPersistentRoomAndItsChatSurviveARestartAndAnEphemeralRoomDoesNot() throws Exception {
        // The room is made persistent the way room.name will: one transaction with its owner as member.
        try (Database db = Database.open(ModuleSettings.storage(config()), new SimpleMeterRegistry())) {
            db.migrations().migrate();
            new JdbcRoomStore(db).persist(new RoomRecord(ROOM, false, "dev:ann", 1L), "Team",
                    List.of(new RoomMembership("dev:ann", "owner")), List.of()).toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
        }
        String ephemeral;
        long firstId;
        try (Appliance a = started()) {
            assertTrue(a.readiness().probe().ready(), a.readiness().probe().body());
            try (SignalingClient clients = SignalingClient.builder().webSocket(a.webSocketAddress()).build()) {
                ClientSession ann = clients.connect();
                assertEquals("dev:ann", ann.hello("ann").userId());
                ann.join(ROOM);
                ServerMessage.ChatAck ack = ann.chat(ROOM, "c1", "hello 😀 שלום");
                assertFalse(ack.duplicate());
                firstId = ack.messageId();
                ann.chat(ROOM, "c2", "second");
                ephemeral = ann.createRoom();
                ann.chat(ephemeral, "c1", "gone after a restart");
            }
        }
        try (Appliance a = started()) {
            try (SignalingClient clients = SignalingClient.builder().webSocket(a.webSocketAddress()).build()) {
                ClientSession ann = clients.connect();
                ann.hello("ann");
                ann.join(ROOM);
                ServerMessage.HistoryPage history = ann.history(ROOM, null, 10);
                assertEquals(List.of("hello 😀 שלום", "second"),
                        history.messages().stream().map(ChatMessageView::text).toList());
                ServerMessage.ChatAck retry = ann.chat(ROOM, "c1", "hello 😀 שלום");
                assertTrue(retry.duplicate(), "a retry after the restart is recognised");
                assertEquals(firstId, retry.messageId());
                SignalingException refused = assertThrows(SignalingException.class, () -> ann.join(ephemeral));
                assertEquals("unknown_room", refused.code());
            }
        }
        try (Database db = Database.open(ModuleSettings.storage(config()), new SimpleMeterRegistry())) {
            assertEquals(List.of(new RoomSummary(ROOM, "Team", 0)),
                    new JdbcRoomStore(db).roomsOf("dev:ann").toCompletableFuture().get(30, TimeUnit.SECONDS));
        }
    }
}
