package io.presence.signaling.app;

import io.presence.signaling.client.ClientSession;
import io.presence.signaling.client.SignalingClient;
import io.presence.signaling.client.SignalingException;
import io.presence.signaling.protocol.MembershipView;
import io.presence.signaling.protocol.RoomEvent;
import io.presence.signaling.protocol.RoomListing;
import io.presence.signaling.protocol.ServerMessage;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A persistent room's lifecycle over the protocol, across restarts of the appliance as a child process (stopped
 * with SIGTERM, started again) on the same database (the embedded H2 in server.dataDir, and MariaDB through
 * storage.url): a second user, present when the room is named, stays a member; both list
 * the room after the restart, an offline member shows as offline, a rename and the settings reach the other
 * member, and closing the room tells the other member and removes it from both lists for good. MariaDB is skipped
 * when unreachable, unless PRESENCE_E2E=required.
 */
class RoomLifecycleApplianceTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final Pattern WS = Pattern.compile("^signaling ws\\s+ws://([0-9.]+):(\\d+)/ws.*");

    @TempDir
    Path dir;
    private String storageUrl = "";

    /** {@code presence serve} as a child process, until closed (SIGTERM, then its exit). */
    private final class Served implements AutoCloseable {
        final Process process;
        final InetSocketAddress webSocket;
        final Path console;

        Served(String idleUnload) throws Exception {
            Map<String, String> env = TestConfigs.persistentRoomsEnv(dir.resolve("data"), storageUrl);
            env.put("PRESENCE_STORAGE_ROOM_IDLE_UNLOAD", idleUnload);
            console = Files.createTempFile(dir, "console", ".txt");
            // Output goes to a file: a pipe read while the process exits can fail.
            process = new PresenceCli(dir).builder(env, "serve").redirectErrorStream(true)
                    .redirectOutput(console.toFile()).start();
            InetSocketAddress found = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (found == null && process.isAlive() && System.nanoTime() < deadline) {
                List<String> lines = Files.readAllLines(console);
                if (lines.stream().anyMatch(l -> l.matches("presence \\S+ ready in \\d+ ms.*"))) {
                    for (String line : lines) {
                        Matcher m = WS.matcher(line);
                        if (m.matches()) {
                            found = new InetSocketAddress(m.group(1), Integer.parseInt(m.group(2)));
                        }
                    }
                    if (found == null) {
                        break;
                    }
                } else {
                    Thread.sleep(20);
                }
            }
            if (found == null) {
                process.destroyForcibly();
                throw new AssertionError("the appliance did not start: " + Files.readString(console));
            }
            webSocket = found;
        }

        @Override
        public void close() throws Exception {
            process.destroy();
            boolean exited = process.waitFor(30, TimeUnit.SECONDS);
            if (!exited) {
                process.destroyForcibly();
            }
            assertTrue(exited, "did not stop within 30 s");
            assertEquals(0, process.exitValue(), Files.readString(console));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "mariadb"})
    void aRoomIsNamedJoinedRenamedAndClosedAcrossARestart(String kind) throws Exception {
        if (kind.equals("h2")) {
            lifecycle();
            return;
        }
        try (MariaDbSchema schema = MariaDbSchema.create()) {
            storageUrl = schema.url();
            lifecycle();
        }
    }

    private void lifecycle() throws Exception {
        String room;
        try (Served a = new Served("5m");
             SignalingClient clients = SignalingClient.builder().webSocket(a.webSocket).build()) {
            ClientSession ann = clients.connect();
            ann.hello("ann");
            room = ann.createRoom();
            assertNull(ann.join(room).memberships(), "an ephemeral room keeps no memberships");
            ClientSession bob = clients.connect();
            bob.hello("bob");
            bob.join(room); // present at the naming: a member of the persistent room
            ann.nameRoom(room, "Team");
            ServerMessage.RoomJoined joined = bob.join(room);
            assertEquals("member", joined.role());
            assertEquals(List.of(new MembershipView("dev:ann", "ann", "owner", "online"),
                    new MembershipView("dev:bob", "bob", "member", "online")), joined.memberships());
        }
        // Unload when empty from now on: every join after the members left loads the room from the database.
        try (Served a = new Served("0s");
             SignalingClient clients = SignalingClient.builder().webSocket(a.webSocket).build()) {
            ClientSession ann = clients.connect();
            ann.hello("ann");
            ClientSession bob = clients.connect();
            bob.hello("bob");
            assertEquals(List.of(new RoomListing(room, "Team", 0)), ann.listRooms().rooms());
            assertEquals(List.of(new RoomListing(room, "Team", 0)), bob.listRooms().rooms());

            ServerMessage.RoomJoined bobJoined = bob.join(room);
            assertEquals(List.of(new MembershipView("dev:ann", "ann", "owner", "offline"),
                    new MembershipView("dev:bob", "bob", "member", "online")), bobJoined.memberships(),
                    "a member with no session in the room is offline");
            assertEquals("owner", ann.join(room).role(), "the creator is owner after the restart");
            assertNotNull(bob.awaitEvent(RoomEvent.MemberJoined.class, WAIT));

            SignalingException notOwner = assertThrows(SignalingException.class, () -> bob.renameRoom(room, "Mine"));
            assertEquals("forbidden", notOwner.code());
            ann.renameRoom(room, "Renamed 🎉");
            assertEquals(new RoomEvent.RoomRenamed(room, "Renamed 🎉", "dev:ann"),
                    bob.awaitEvent(RoomEvent.RoomRenamed.class, WAIT));
            assertEquals(List.of(new RoomListing(room, "Renamed 🎉", 0)), bob.listRooms().rooms());

            ann.updateRoomSettings(room, true);
            assertEquals(new RoomEvent.RoomSettingsChanged(room, true, "dev:ann"),
                    bob.awaitEvent(RoomEvent.RoomSettingsChanged.class, WAIT));

            ann.leave(room);
            bob.leave(room);
            ServerMessage.RoomJoined reloaded = bob.join(room);
            assertEquals(true, reloaded.relayOnly(), "the settings were kept");

            assertEquals("forbidden", assertThrows(SignalingException.class, () -> bob.closeRoom(room)).code());
            ann.join(room);
            ann.closeRoom(room);
            assertEquals(new RoomEvent.RoomClosed(room, "dev:ann"), bob.awaitEvent(RoomEvent.RoomClosed.class, WAIT));
            assertEquals(List.of(), ann.listRooms().rooms());
            assertEquals(List.of(), bob.listRooms().rooms());
            assertEquals("unknown_room", assertThrows(SignalingException.class, () -> bob.join(room)).code());
            assertEquals("unknown_room", assertThrows(SignalingException.class, () -> bob.chat(room, "c", "x"))
                    .code(), "bob's session forgot the room");
        }
        try (Served a = new Served("5m");
             SignalingClient clients = SignalingClient.builder().webSocket(a.webSocket).build()) {
            ClientSession ann = clients.connect();
            ann.hello("ann");
            assertEquals(List.of(), ann.listRooms().rooms());
            assertEquals("unknown_room", assertThrows(SignalingException.class, () -> ann.join(room)).code(),
                    "closed for good, also after a restart");
        }
    }
}
