package io.presence.signaling.app;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.presence.signaling.app.config.ModuleSettings;
import io.presence.signaling.app.config.PresenceConfig;
import io.presence.signaling.client.ClientSession;
import io.presence.signaling.client.SignalingClient;
import io.presence.signaling.client.SignalingException;
import io.presence.signaling.jdbc.Database;
import io.presence.signaling.jdbc.JdbcRoomStore;
import io.presence.signaling.storage.RoomSummary;
import io.presence.signaling.protocol.ChatMessageView;
import io.presence.signaling.protocol.RoomListing;
import io.presence.signaling.protocol.ServerMessage;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A room named over the protocol ({@code room.name}) is kept with its members and chat in the appliance's database
 * across a restart (the embedded H2 in server.dataDir, and MariaDB through storage.url), and {@code room.list}
 * shows it; an ephemeral room is gone after one. MariaDB is skipped when
 * unreachable, unless PRESENCE_E2E=required.
 */
class PersistentRoomApplianceTest {

    @TempDir
    Path data;
    private String storageUrl = "";

    private PresenceConfig config() throws Exception {
        return PresenceConfig.load(null, TestConfigs.persistentRoomsEnv(data, storageUrl));
    }

    /** The embedded H2 in the data directory (the default), and a fresh database on the MariaDB server. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "mariadb"})
    void aPersistentRoomAndItsChatSurviveARestart(String kind) throws Exception {
        TestConfigs.onDatabase(kind, url -> {
            storageUrl = url;
            aPersistentRoomAndItsChatSurviveARestartAndAnEphemeralRoomDoesNot();
        });
    }

    private Appliance started() throws Exception {
        return TestConfigs.startedQuietly(config());
    }

    private void aPersistentRoomAndItsChatSurviveARestartAndAnEphemeralRoomDoesNot() throws Exception {
        String room;
        String ephemeral;
        long firstId;
        try (Appliance a = started()) {
            assertTrue(a.readiness().probe().ready(), a.readiness().probe().body());
            try (SignalingClient clients = SignalingClient.builder().webSocket(a.webSocketAddress()).build()) {
                ClientSession ann = clients.connect();
                assertEquals("dev:ann", ann.hello("ann").userId());
                ClientSession bob = clients.connect();
                bob.hello("bob");
                room = ann.createRoom();
                bob.join(room);
                ServerMessage.ChatAck ack = ann.chat(room, "c1", "hello 😀 שלום");
                assertFalse(ack.duplicate());
                firstId = ack.messageId();
                bob.chat(room, "c2", "second");
                SignalingException notOwner = assertThrows(SignalingException.class, () -> bob.nameRoom(room, "Mine"));
                assertEquals("forbidden", notOwner.code());
                ann.nameRoom(room, " Team ");
                ServerMessage.ChatAck afterName = ann.chat(room, "c3", "after the name");
                assertEquals(firstId + 2, afterName.messageId(), "ids continue from the history written");
                ephemeral = ann.createRoom();
                ann.chat(ephemeral, "c1", "gone after a restart");
            }
        }
        try (Appliance a = started()) {
            try (SignalingClient clients = SignalingClient.builder().webSocket(a.webSocketAddress()).build()) {
                ClientSession ann = clients.connect();
                ann.hello("ann");
                // The history both saw before the name starts read; Bob has not read Ann's message after it.
                assertEquals(List.of(new RoomListing(room, "Team", 0)), ann.listRooms().rooms());
                ClientSession bob = clients.connect();
                bob.hello("bob");
                assertEquals(List.of(new RoomListing(room, "Team", 1)), bob.listRooms().rooms());
                ann.join(room);
                ServerMessage.HistoryPage history = ann.history(room, null, 10);
                assertEquals(List.of("hello 😀 שלום", "second", "after the name"),
                        history.messages().stream().map(ChatMessageView::text).toList());
                assertEquals(List.of(firstId, firstId + 1, firstId + 2),
                        history.messages().stream().map(ChatMessageView::id).toList());
                ServerMessage.ChatAck retry = ann.chat(room, "c1", "hello 😀 שלום");
                assertTrue(retry.duplicate(), "a retry after the restart is recognised");
                assertEquals(firstId, retry.messageId());
                assertEquals(firstId + 3, ann.chat(room, "c4", "after the restart").messageId());
                SignalingException refused = assertThrows(SignalingException.class, () -> ann.join(ephemeral));
                assertEquals("unknown_room", refused.code());
            }
        }
        try (Database db = Database.open(ModuleSettings.storage(config()), new SimpleMeterRegistry())) {
            // Bob has not read Ann's two messages written after the name.
            assertEquals(List.of(new RoomSummary(room, "Team", 2)),
                    new JdbcRoomStore(db).roomsOf("dev:bob").toCompletableFuture().get(30, TimeUnit.SECONDS));
        }
    }
}
