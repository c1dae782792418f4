package io.presence.signaling.session;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.presence.signaling.core.SignalingCore;
import io.presence.signaling.protocol.ChatMessageView;
import io.presence.signaling.protocol.ClientMessage;
import io.presence.signaling.protocol.RoomEvent;
import io.presence.signaling.protocol.RoomListing;
import io.presence.signaling.protocol.ServerMessage;
import io.presence.signaling.runtime.ManualLoops;
import io.presence.signaling.storage.ChatLog;
import io.presence.signaling.storage.ChatStore;
import io.presence.signaling.storage.InMemoryChatStore;
import io.presence.signaling.storage.RoomMembership;
import io.presence.signaling.storage.RoomRecord;
import io.presence.signaling.storage.RoomStore;
import io.presence.signaling.storage.RoomSummary;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code room.name} by the owner makes the room persistent through the store and switches its chat to the store's
 * log; anyone else is refused; a store that keeps no rooms refuses it. {@code room.list} shows the store's rooms.
 */
class RoomNamingTest {
    final ManualLoops loops = new ManualLoops(1);
    final SignalingSettings settings = SignalingSettings.builder().devAuthEnabled(true).build();

    record Persisted(String roomId, String name, Set<RoomMembership> members, List<String> history) {
    }

    /** Keeps what it is asked to persist; each write completes when the test says ({@link #commit}). */
    static final class RecordingRoomStore implements RoomStore {
        final List<Persisted> persisted = new ArrayList<>();
        final List<CompletableFuture<Void>> writes = new ArrayList<>();

        @Override
        public CompletionStage<Optional<RoomRecord>> load(String roomId) {
            return CompletableFuture.completedFuture(Optional.empty());
        }

        @Override
        public CompletionStage<Void> create(RoomRecord room) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<Void> persist(RoomRecord room, String name, List<RoomMembership> members,
                                             List<ChatMessageView> history) {
            persisted.add(new Persisted(room.id(), name, Set.copyOf(members),
                    history.stream().map(ChatMessageView::text).toList()));
            CompletableFuture<Void> write = new CompletableFuture<>();
            writes.add(write);
            return write;
        }

        void commit() {
            writes.forEach(w -> w.complete(null));
        }

        @Override
        public CompletionStage<List<RoomSummary>> roomsOf(String userId) {
            return CompletableFuture.completedFuture(persisted.stream()
                    .filter(p -> p.members().stream().anyMatch(m -> m.userId().equals(userId)))
                    .map(p -> new RoomSummary(p.roomId(), p.name(), 0)).toList());
        }
    }

    /** In memory, counting how often each room's log was opened. */
    static final class CountingChatStore implements ChatStore {
        final InMemoryChatStore memory = new InMemoryChatStore(100);
        final Map<String, Integer> opened = new HashMap<>();

        @Override
        public ChatLog open(String roomId) {
            opened.merge(roomId, 1, Integer::sum);
            return memory.open(roomId);
        }
    }

    SignalingCore core(RoomStore store, ChatStore chats) {
        SignalingCore.Builder b = SignalingCore.builder(settings).loops(loops).time(loops.time())
                .meters(new SimpleMeterRegistry());
        if (store != null) {
            b.roomStore(store).chatStore(chats);
        }
        return b.build();
    }

    RecordingConnection open(SignalingCore core, String name) {
        RecordingConnection c = new RecordingConnection(name, loops::run);
        core.sessions().hello(c, loops.get(0), new ClientMessage.Hello("h", settings.maxProtocolVersion(),
                new ClientMessage.Credentials("dev", name, null, null), null));
        c.take(ServerMessage.Welcome.class);
        return c;
    }

    @Test
    void theOwnerNamesTheRoomWithItsMembersAndHistoryAndItsChatMovesToTheStore() {
        RecordingRoomStore store = new RecordingRoomStore();
        CountingChatStore chats = new CountingChatStore();
        SignalingCore core = core(store, chats);
        RecordingConnection ann = open(core, "Ann");
        RecordingConnection bob = open(core, "Bob");
        ann.session.request(ann, new ClientMessage.CreateRoom("c", null));
        String room = ann.take(ServerMessage.RoomJoined.class).roomId();
        bob.session.request(bob, new ClientMessage.JoinRoom("j", room));
        bob.take(ServerMessage.RoomJoined.class);
        ann.session.request(ann, new ClientMessage.SendChat("s", room, "m1", "before", null));
        ann.drain();
        bob.drain();

        ann.session.request(ann, new ClientMessage.NameRoom("n", room, "Team"));
        ann.assertEmpty(); // answered after the commit, not before
        bob.session.request(bob, new ClientMessage.SendChat("s2", room, "m2", "meanwhile", null));
        bob.assertEmpty(); // waits for the name: it belongs in the persistent log
        assertEquals(List.of(new Persisted(room, "Team", Set.of(new RoomMembership("dev:Ann", "owner", "Ann"),
                new RoomMembership("dev:Bob", "member", "Bob")), List.of("before"))), store.persisted);

        store.commit();
        assertEquals("n", ann.take(ServerMessage.Ok.class).requestId());
        assertEquals(2, chats.opened.get(room), "the chat log is reopened from the store once named");
        assertEquals("s2", bob.take(ServerMessage.ChatAck.class).requestId());
        assertEquals("meanwhile", ann.takeEvent(RoomEvent.ChatPosted.class).message().text());

        ann.session.request(ann, new ClientMessage.ListRooms("l"));
        assertEquals(new ServerMessage.RoomList("l", List.of(new RoomListing(room, "Team", 0))),
                ann.take(ServerMessage.RoomList.class));
        core.close();
    }

    @Test
    void aMemberWhoIsNotTheOwnerMayNotNameTheRoom() {
        RecordingRoomStore store = new RecordingRoomStore();
        SignalingCore core = core(store, new CountingChatStore());
        RecordingConnection ann = open(core, "Ann");
        RecordingConnection bob = open(core, "Bob");
        ann.session.request(ann, new ClientMessage.CreateRoom("c", null));
        String room = ann.take(ServerMessage.RoomJoined.class).roomId();
        bob.session.request(bob, new ClientMessage.JoinRoom("j", room));
        bob.take(ServerMessage.RoomJoined.class);

        bob.session.request(bob, new ClientMessage.NameRoom("n", room, "Mine"));
        ServerMessage.Error refused = bob.take(ServerMessage.Error.class);
        assertEquals("forbidden", refused.code());
        assertEquals("n", refused.requestId());
        assertTrue(store.persisted.isEmpty());
        core.close();
    }

    @Test
    void aServerThatKeepsNoRoomsRefusesANameAndListsNothing() {
        SignalingCore core = core(null, null);
        RecordingConnection ann = open(core, "Ann");
        ann.session.request(ann, new ClientMessage.CreateRoom("c", null));
        String room = ann.take(ServerMessage.RoomJoined.class).roomId();

        ann.session.request(ann, new ClientMessage.NameRoom("n", room, "Team"));
        ServerMessage.Error refused = ann.take(ServerMessage.Error.class);
        assertEquals("not_supported", refused.code());
        assertEquals("n", refused.requestId());
        ann.session.request(ann, new ClientMessage.SendChat("s", room, "m", "still works", null));
        ann.take(ServerMessage.ChatAck.class);
        ann.drain();

        ann.session.request(ann, new ClientMessage.ListRooms("l"));
        assertEquals(new ServerMessage.RoomList("l", List.of()), ann.take(ServerMessage.RoomList.class));
        core.close();
    }
}
