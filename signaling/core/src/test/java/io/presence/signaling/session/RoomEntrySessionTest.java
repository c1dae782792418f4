package io.presence.signaling.session;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.presence.signaling.core.SignalingCore;
import io.presence.signaling.identity.AuthResult;
import io.presence.signaling.identity.Principal;
import io.presence.signaling.protocol.ChatMessageView;
import io.presence.signaling.protocol.ClientMessage;
import io.presence.signaling.protocol.RoomEvent;
import io.presence.signaling.protocol.RoomListing;
import io.presence.signaling.protocol.ServerMessage;
import io.presence.signaling.runtime.ManualLoops;
import io.presence.signaling.storage.InMemoryChatStore;
import io.presence.signaling.storage.RoomMembership;
import io.presence.signaling.storage.RoomRecord;
import io.presence.signaling.storage.RoomStore;
import io.presence.signaling.storage.RoomSummary;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Who enters which room through a session: the sign-in's claims (guest, server admin, role grants) reach the room,
 * a persistent room refuses strangers, and {@code room.direct} finds the one room of a pair.
 */
class RoomEntrySessionTest {
    final ManualLoops loops = new ManualLoops(1);
    final SignalingSettings settings = SignalingSettings.builder().devAuthEnabled(true).build();

    /** Rooms and memberships in maps; every write completes at once. */
    static final class MapStore implements RoomStore {
        final Map<String, RoomRecord> rooms = new ConcurrentHashMap<>();
        final Map<String, List<RoomMembership>> members = new ConcurrentHashMap<>();

        @Override
        public CompletionStage<Optional<RoomRecord>> load(String roomId) {
            return CompletableFuture.completedFuture(Optional.ofNullable(rooms.get(roomId)));
        }

        @Override
        public CompletionStage<Void> create(RoomRecord room) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<Void> persist(RoomRecord room, String name, List<RoomMembership> memberships,
                                             List<ChatMessageView> history) {
            rooms.put(room.id(), room);
            members.put(room.id(), new ArrayList<>(memberships));
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<Void> keepDirect(RoomRecord room, List<RoomMembership> memberships) {
            if (rooms.putIfAbsent(room.id(), room) == null) {
                members.put(room.id(), new ArrayList<>(memberships));
            }
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<List<RoomMembership>> members(String roomId) {
            return CompletableFuture.completedFuture(List.copyOf(members.getOrDefault(roomId, List.of())));
        }

        @Override
        public CompletionStage<Void> addMember(String roomId, RoomMembership membership) {
            List<RoomMembership> kept = members.computeIfAbsent(roomId, id -> new ArrayList<>());
            kept.removeIf(m -> m.userId().equals(membership.userId()));
            kept.add(membership);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<Void> rename(String roomId, String name) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<List<RoomSummary>> roomsOf(String userId) {
            List<RoomSummary> out = new ArrayList<>();
            members.forEach((room, kept) -> {
                if (kept.stream().anyMatch(m -> m.userId().equals(userId))) {
                    String with = kept.stream().map(RoomMembership::userId).filter(u -> !u.equals(userId))
                            .findFirst().orElse(null);
                    out.add(rooms.get(room).direct() ? new RoomSummary(room, null, 0, true, with)
                            : new RoomSummary(room, "Team", 0));
                }
            });
            return CompletableFuture.completedFuture(out);
        }
    }

    /**
     * Signs in by display name: {@code guest…} is a guest, {@code admin…} a server admin, {@code granted…} has the
     * member role in room "kept"; everyone's user id is {@code dev:<name>}.
     */
    SignalingCore core(RoomStore store) {
        SignalingCore.Builder b = SignalingCore.builder(settings).loops(loops).time(loops.time())
                .meters(new SimpleMeterRegistry())
                .auth(credentials -> {
                    String name = credentials.displayName();
                    return CompletableFuture.completedFuture(AuthResult.accepted(new Principal("dev:" + name, name,
                            null, name.startsWith("admin"), name.startsWith("guest"),
                            name.startsWith("granted") ? Map.of("kept", "member") : Map.of())));
                });
        if (store != null) {
            b.roomStore(store).chatStore(new InMemoryChatStore(10));
        }
        return b.build();
    }

    RecordingConnection open(SignalingCore core, String name) {
        RecordingConnection c = new RecordingConnection(name, loops::run);
        core.sessions().hello(c, loops.get(0), new ClientMessage.Hello("h", settings.maxProtocolVersion(),
                new ClientMessage.Credentials("test", name, null, null), null));
        c.take(ServerMessage.Welcome.class);
        return c;
    }

    @Test
    void aGuestHasNoDirectRoomNobodyHasOneWithThemselfAndNoDatabaseKeepsNone() {
        SignalingCore core = core(null);
        RecordingConnection guest = open(core, "guest1");
        guest.session.request(guest, new ClientMessage.OpenDirect("1", "dev:ann"));
        ServerMessage.Error refused = guest.take(ServerMessage.Error.class);
        assertEquals("forbidden", refused.code());
        assertEquals("guest", refused.reason());

        RecordingConnection ann = open(core, "ann");
        ann.session.request(ann, new ClientMessage.OpenDirect("2", "dev:ann"));
        assertEquals("invalid_field", ann.take(ServerMessage.Error.class).code());
        ann.session.request(ann, new ClientMessage.OpenDirect("3", "dev:bob"));
        assertEquals("not_supported", ann.take(ServerMessage.Error.class).code());
        core.close();
    }

    @Test
    void aPairMeetsInOneDirectRoomThatListsTheOtherAndAdmitsNobodyElse() {
        MapStore store = new MapStore();
        SignalingCore core = core(store);
        RecordingConnection ann = open(core, "ann");
        RecordingConnection bob = open(core, "bob");
        RecordingConnection admin = open(core, "admin1");
        ann.session.request(ann, new ClientMessage.OpenDirect("1", "dev:bob"));
        ServerMessage.RoomJoined annIn = ann.take(ServerMessage.RoomJoined.class);
        bob.takeEvent(RoomEvent.RoomListed.class);
        bob.session.request(bob, new ClientMessage.OpenDirect("2", "dev:ann"));
        assertEquals(annIn.roomId(), bob.take(ServerMessage.RoomJoined.class).roomId());
        assertEquals(1, store.rooms.size());
        bob.session.request(bob, new ClientMessage.ListRooms("3"));
        assertEquals(List.of(new RoomListing(annIn.roomId(), null, 0, true, "dev:ann")),
                bob.take(ServerMessage.RoomList.class).rooms());
        admin.session.request(admin, new ClientMessage.JoinRoom("4", annIn.roomId()));
        assertEquals("not_member", admin.take(ServerMessage.Error.class).reason(), "not even a server admin");
        core.close();
    }

    @Test
    void theOtherUsersOnlineSessionsHearOfANewDirectRoomAsItsRoomListEntry() {
        MapStore store = new MapStore();
        SignalingCore core = core(store);
        RecordingConnection ann = open(core, "ann");
        RecordingConnection bob = open(core, "bob");
        RecordingConnection bobToo = open(core, "bob");
        ann.session.request(ann, new ClientMessage.OpenDirect("1", "dev:bob"));
        String roomId = ann.take(ServerMessage.RoomJoined.class).roomId();
        RoomListing expected = new RoomListing(roomId, null, 0, true, "dev:ann");
        for (RecordingConnection b : List.of(bob, bobToo)) {
            RoomEvent.RoomListed listed = b.takeEvent(RoomEvent.RoomListed.class);
            assertEquals(roomId, listed.roomId());
            assertEquals(expected, listed.room(), "what room.list would show bob");
        }
        core.close();
    }

    @Test
    void aPersistentRoomAdmitsItsMembersGrantsAndServerAdminsOnly() {
        MapStore store = new MapStore();
        store.rooms.put("kept", new RoomRecord("kept", false, "dev:ann", 0));
        store.members.put("kept", new ArrayList<>(List.of(new RoomMembership("dev:ann", "owner"))));
        SignalingCore core = core(store);
        RecordingConnection eve = open(core, "eve");
        eve.session.request(eve, new ClientMessage.JoinRoom("1", "kept"));
        ServerMessage.Error refused = eve.take(ServerMessage.Error.class);
        assertEquals("forbidden", refused.code());
        assertEquals("not_member", refused.reason());
        eve.session.request(eve, new ClientMessage.SendChat("2", "kept", "c", "let me in", null));
        String code = eve.take(ServerMessage.Error.class).code();
        assertTrue(code.equals("not_in_room") || code.equals("unknown_room"), code);

        RecordingConnection granted = open(core, "granted1");
        granted.session.request(granted, new ClientMessage.JoinRoom("3", "kept"));
        assertEquals("member", granted.take(ServerMessage.RoomJoined.class).role());
        assertTrue(store.members.get("kept").contains(new RoomMembership("dev:granted1", "member", "granted1")),
                "a grant becomes a membership: " + store.members.get("kept"));

        RecordingConnection admin = open(core, "admin1");
        admin.session.request(admin, new ClientMessage.JoinRoom("4", "kept"));
        admin.take(ServerMessage.RoomJoined.class);
        admin.session.request(admin, new ClientMessage.RenameRoom("5", "kept", "Admin's"));
        assertEquals("5", admin.take(ServerMessage.Ok.class).requestId(), "owner rights");
        assertEquals(2, store.members.get("kept").size(), "a server admin visits without a membership");
        core.close();
    }
}
