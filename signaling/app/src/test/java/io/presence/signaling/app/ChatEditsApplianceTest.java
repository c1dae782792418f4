package io.presence.signaling.app;

import io.presence.signaling.app.config.PresenceConfig;
import io.presence.signaling.client.ClientSession;
import io.presence.signaling.client.SignalingClient;
import io.presence.signaling.client.SignalingException;
import io.presence.signaling.protocol.ChatMessageView;
import io.presence.signaling.protocol.RoomEvent;
import io.presence.signaling.protocol.RoomListing;
import io.presence.signaling.protocol.ServerMessage;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Edits, deletes and read markers of a persistent room over the real server: events to the members, typed
 * refusals, and history and unread counts after a restart of the appliance (embedded H2, and MariaDB through
 * storage.url; MariaDB is skipped when unreachable, unless PRESENCE_E2E=required).
 */
class ChatEditsApplianceTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    @TempDir
    Path data;
    private String storageUrl = "";

    private PresenceConfig config() throws Exception {
        return PresenceConfig.load(null, TestConfigs.persistentRoomsEnv(data, storageUrl));
    }

    private Appliance started() throws Exception {
        return TestConfigs.startedQuietly(config());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "mariadb"})
    void editsDeletesAndUnreadCountsSurviveARestart(String kind) throws Exception {
        TestConfigs.onDatabase(kind, url -> {
            storageUrl = url;
            scenario();
        });
    }

    private static String refusal(Runnable request) {
        return assertThrows(SignalingException.class, request::run).code();
    }

    private void scenario() throws Exception {
        String room;
        long hello;
        long typo;
        long secret;
        try (Appliance a = started();
             SignalingClient clients = SignalingClient.builder().webSocket(a.webSocketAddress()).build()) {
            ClientSession ann = clients.connect();
            ann.hello("ann");
            ClientSession bob = clients.connect();
            bob.hello("bob");
            room = ann.createRoom();
            bob.join(room);
            ann.nameRoom(room, "Team");
            hello = ann.chat(room, "c1", "hello").messageId();
            typo = bob.chat(room, "c2", "tpyo").messageId();
            secret = bob.chat(room, "c3", "secret").messageId();

            bob.editMessage(room, typo, "typo fixed", null);
            ChatMessageView edited = ann.awaitEvent(RoomEvent.ChatEdited.class, WAIT).message();
            assertEquals("typo fixed", edited.text());
            assertNotNull(edited.editedAt());
            assertNull(edited.editedBy(), "the sender edited its own message");
            bob.deleteMessage(room, secret, null);
            RoomEvent.ChatDeleted deleted = ann.awaitEvent(RoomEvent.ChatDeleted.class, WAIT);
            assertEquals(new RoomEvent.ChatDeleted(room, secret, "dev:bob", null), deleted);
            bob.deleteMessage(room, secret, null); // a second delete is ok and sends nothing

            assertEquals("invalid_field", refusal(() -> ann.editMessage(room, typo, "owner's words", null)));
            assertEquals("forbidden", refusal(() -> bob.editMessage(room, hello, "bob's words", null)));
            assertEquals("forbidden", refusal(() -> bob.editMessage(room, secret, "undelete", null)));
            assertEquals("unknown_message", refusal(() -> ann.deleteMessage(room, 999, "gone")));
            assertEquals("unknown_message", refusal(() -> ann.markRead(room, 999)));

            ann.markRead(room, secret);
            bob.markRead(room, hello);
            bob.markRead(room, hello); // again: ok, the marker stays
            ann.chat(room, "c4", "after the marks");
        }
        try (Appliance a = started();
             SignalingClient clients = SignalingClient.builder().webSocket(a.webSocketAddress()).build()) {
            ClientSession ann = clients.connect();
            ann.hello("ann");
            ClientSession bob = clients.connect();
            bob.hello("bob");
            // ann read up to the deleted message and wrote the newest herself; bob read only "hello".
            assertEquals(List.of(new RoomListing(room, "Team", 0)), ann.listRooms().rooms());
            assertEquals(List.of(new RoomListing(room, "Team", 1)), bob.listRooms().rooms());

            ann.join(room);
            bob.join(room);
            ServerMessage.HistoryPage newer = ann.historyAfter(room, hello, 10);
            assertEquals(List.of(typo, secret, secret + 1), newer.messages().stream().map(ChatMessageView::id).toList());
            assertFalse(newer.hasMore());
            assertEquals("typo fixed", newer.messages().get(0).text());
            ChatMessageView wiped = newer.messages().get(1);
            assertEquals("", wiped.text());
            assertEquals(Boolean.TRUE, wiped.deleted());
            assertEquals("dev:bob", wiped.deletedBy());
            assertEquals("invalid_field", refusal(() -> ann.historyAfter(room, 999, 10)));

            ann.deleteMessage(room, typo, "off topic");
            assertEquals(new RoomEvent.ChatDeleted(room, typo, "dev:ann", "off topic"),
                    bob.awaitEvent(RoomEvent.ChatDeleted.class, WAIT));
            bob.markRead(room, secret + 1);
            assertEquals(List.of(new RoomListing(room, "Team", 0)), bob.listRooms().rooms());
        }
    }
}
