package io.presence.signaling.app;

import io.presence.signaling.client.ClientSession;
import io.presence.signaling.client.SignalingClient;
import io.presence.signaling.client.SignalingException;
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
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Room rights over the wire, against the appliance as a child process ({@code presence serve}): a kick takes the user out of a persistent room and its call and keeps it out,
 * a role change lets an admin rename, and two users meet in one direct room that nobody else enters and that
 * {@code room.list} shows with the other user (embedded H2, and MariaDB through storage.url; MariaDB is skipped
 * when unreachable, unless PRESENCE_E2E=required).
 */
class RoomRightsApplianceTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    @TempDir
    Path dir;
    private String storageUrl = "";

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "mariadb"})
    void kickRoleAndDirectRoomOverTheWire(String kind) throws Exception {
        if (kind.equals("h2")) {
            scenario();
            return;
        }
        try (MariaDbSchema schema = MariaDbSchema.create()) {
            storageUrl = schema.url();
            scenario();
        }
    }

    private static ServerMessage.Error refusal(Runnable request) {
        return assertThrows(SignalingException.class, request::run).error();
    }

    private void scenario() throws Exception {
        try (ChildAppliance a = ChildAppliance.start(dir, TestConfigs.persistentRoomsEnv(dir.resolve("data"),
                storageUrl));
             SignalingClient clients = SignalingClient.builder().webSocket(a.webSocket()).build()) {
            ClientSession ann = clients.connect();
            ann.hello("ann");
            ClientSession bob = clients.connect();
            bob.hello("bob");
            ClientSession eve = clients.connect();
            eve.hello("eve");

            String room = ann.createRoom();
            bob.join(room);
            eve.join(room);
            ann.nameRoom(room, "Team");
            eve.joinCall(room);

            assertEquals("role", refusal(() -> bob.kick(room, "dev:eve", null)).reason());
            ann.kick(room, "dev:eve", "spam");
            RoomEvent.MemberKicked kicked = new RoomEvent.MemberKicked(room, "dev:eve", "dev:ann", "spam");
            assertEquals(kicked, bob.awaitEvent(RoomEvent.MemberKicked.class, WAIT));
            assertEquals(kicked, eve.awaitEvent(RoomEvent.MemberKicked.class, WAIT));
            ServerMessage.Error notMember = refusal(() -> eve.join(room));
            assertEquals("forbidden", notMember.code());
            assertEquals("not_member", notMember.reason());
            assertEquals(List.of(), eve.listRooms().rooms(), "the membership is gone");
            assertEquals("unknown_member", refusal(() -> ann.kick(room, "dev:eve", null)).code());

            ann.changeRole(room, "dev:bob", "admin");
            assertEquals(new RoomEvent.RoleChanged(room, "dev:bob", "admin", "dev:ann"),
                    bob.awaitEvent(RoomEvent.RoleChanged.class, WAIT));
            bob.renameRoom(room, "Bob's too");
            assertEquals("invalid_field", refusal(() -> ann.changeRole(room, "dev:bob", "guest")).code());

            ServerMessage.RoomJoined direct = ann.openDirect("dev:bob");
            assertEquals("member", direct.role());
            assertTrue(direct.roomId().startsWith("d"), direct.roomId());
            assertEquals(direct.roomId(), bob.openDirect("dev:ann").roomId(), "the pair has one direct room");
            ann.chat(direct.roomId(), "d1", "just us");
            assertTrue(bob.listRooms().rooms().contains(new RoomListing(direct.roomId(), null, 1, true, "dev:ann")),
                    String.valueOf(bob.listRooms().rooms()));
            assertEquals("not_member", refusal(() -> eve.join(direct.roomId())).reason());
            assertEquals("direct_room", refusal(() -> ann.kick(direct.roomId(), "dev:bob", null)).reason());
            assertEquals("invalid_field", refusal(() -> ann.openDirect("dev:ann")).code());
        }
    }
}
