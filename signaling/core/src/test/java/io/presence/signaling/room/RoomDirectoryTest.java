package io.presence.signaling.room;

import io.presence.signaling.identity.Principal;
import io.presence.signaling.identity.RoomRole;
import io.presence.signaling.protocol.RoomEvent;
import io.presence.signaling.protocol.ServerMessage;
import io.presence.signaling.runtime.ManualLoops;
import io.presence.signaling.storage.EphemeralRoomStore;
import io.presence.signaling.storage.InMemoryChatStore;
import io.presence.signaling.storage.RoomRecord;
import io.presence.signaling.storage.RoomStore;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Opening, creating and unloading rooms, on a manual loop with manual time. */
class RoomDirectoryTest {
    static final Duration IDLE = Duration.ofMinutes(5);
    static final Principal ANN = Principal.user("dev:Ann", "Ann", null);

    final ManualLoops loops = new ManualLoops(2);
    final AtomicInteger loaded = new AtomicInteger();
    final RoomStats stats = new RoomStats() {
        @Override
        public void roomOpened() {
            loaded.incrementAndGet();
        }

        @Override
        public void roomClosed() {
            loaded.decrementAndGet();
        }
    };

    /** Keeps rooms in a map and answers at once: a persistent store without the database. */
    static final class MapRoomStore implements RoomStore {
        final Map<String, RoomRecord> rooms = new ConcurrentHashMap<>();

        @Override
        public CompletionStage<Optional<RoomRecord>> load(String roomId) {
            return CompletableFuture.completedFuture(Optional.ofNullable(rooms.get(roomId)));
        }

        @Override
        public CompletionStage<Void> create(RoomRecord room) {
            rooms.put(room.id(), room);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<Void> persist(RoomRecord room, String name,
                                             java.util.List<io.presence.signaling.storage.RoomMembership> members,
                                             java.util.List<io.presence.signaling.protocol.ChatMessageView> history) {
            rooms.put(room.id(), room);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<java.util.List<io.presence.signaling.storage.RoomSummary>> roomsOf(String userId) {
            return CompletableFuture.completedFuture(java.util.List.of());
        }
    }

    RoomDirectory directory(RoomStore store, Duration idle) {
        return new RoomDirectory(loops, new RoomSettings(8, 10, Duration.ofSeconds(5), idle), loops.time(), stats,
                store, new InMemoryChatStore(10), LiveServices.standalone(), LiveStats.NONE);
    }

    static <T> T now(CompletionStage<T> stage) {
        CompletableFuture<T> f = stage.toCompletableFuture();
        assertTrue(f.isDone(), "completed at once");
        return f.join();
    }

    /** Joins with a member's role grant: a stored room admits no stranger. */
    RecordingSink join(Room room, String member) throws Exception {
        RecordingSink sink = new RecordingSink(loops::run);
        room.join(sink, RoomTest.profile(member), new JoinClaim(RoomRole.MEMBER, false, false), new Reply("j", "c"));
        sink.take(ServerMessage.RoomJoined.class);
        return sink;
    }

    void leave(Room room, RecordingSink sink, String member) throws Exception {
        room.leave(sink, member, "left", new Reply("l", "c"));
        sink.take(ServerMessage.RoomLeft.class);
        sink.take();
    }

    @Test
    void anEphemeralRoomIsOpenedWhileLoadedAndGoneWhenItsLastMemberLeaves() throws Exception {
        RoomDirectory directory = directory(EphemeralRoomStore.INSTANCE, Duration.ZERO);
        RoomOpening unknown = now(directory.open("nope", ANN));
        assertEquals(RoomOpening.Reason.UNKNOWN_ROOM, ((RoomOpening.Refused) unknown).reason());

        Room room = now(directory.create(null, loops.get(1), ANN));
        assertSame(loops.get(1), room.loop(), "placed on the creator's loop");
        assertSame(room, ((RoomOpening.Opened) now(directory.open(room.id(), ANN))).room());
        RecordingSink a = join(room, "a");
        leave(room, a, "a");
        assertNull(directory.loaded(room.id()));
        assertTrue(now(directory.open(room.id(), ANN)) instanceof RoomOpening.Refused, "gone for good");
        assertEquals(0, loaded.get());
    }

    @Test
    void anEmptyRoomUnloadsAfterTheIdleTimeUnlessSomeoneJoins() throws Exception {
        MapRoomStore store = new MapRoomStore();
        store.rooms.put("stored", new RoomRecord("stored", false, "dev:Ann", 0));
        RoomDirectory directory = directory(store, IDLE);
        Room room = ((RoomOpening.Opened) now(directory.open("stored", ANN))).room();
        RecordingSink a = join(room, "a");
        leave(room, a, "a");
        loops.advance(IDLE.minusMillis(1));
        assertSame(room, directory.loaded(room.id()), "still loaded just before the idle time");
        RecordingSink b = join(room, "b");
        loops.advance(IDLE.multipliedBy(2));
        assertSame(room, directory.loaded(room.id()), "a member disarms the idle timer");
        leave(room, b, "b");
        loops.advance(IDLE.minusMillis(1));
        assertSame(room, directory.loaded(room.id()));
        loops.advance(Duration.ofMillis(1));
        assertNull(directory.loaded(room.id()), "unloaded once idle");
        assertEquals(0, loaded.get());
        assertEquals(0, loops.get(0).timers() + loops.get(1).timers(), "no timer left behind");
    }

    @Test
    void aStoredRoomIsLoadedAgainAfterItUnloaded() throws Exception {
        MapRoomStore store = new MapRoomStore();
        RoomDirectory directory = directory(store, Duration.ZERO);
        Room first = now(directory.create(true, null, ANN));
        RoomRecord record = store.rooms.get(first.id());
        assertEquals(new RoomRecord(first.id(), true, "dev:Ann", loops.time().millis()), record);
        RecordingSink a = join(first, "a");
        leave(first, a, "a");
        assertNull(directory.loaded(first.id()));

        Room again = ((RoomOpening.Opened) now(directory.open(first.id(), ANN))).room();
        assertNotSame(first, again);
        assertEquals(first.id(), again.id());
        assertTrue(again.relayOnly(), "what was fixed at creation comes back from the store");
        RecordingSink b = join(again, "b");
        RecordingSink c = join(again, "c");
        assertEquals("c", b.take(RoomEvent.MemberJoined.class).member().memberId());
        c.assertEmpty();
    }

    @Test
    void aRoomLoadedForAJoinThatNeverCameUnloadsWhenIdle() {
        MapRoomStore store = new MapRoomStore();
        store.rooms.put("stored", new RoomRecord("stored", false, "dev:Ann", 0));
        RoomDirectory directory = directory(store, IDLE);
        Room room = ((RoomOpening.Opened) now(directory.open("stored", ANN))).room();
        assertSame(room, directory.loaded("stored"));
        loops.advance(IDLE);
        assertNull(directory.loaded("stored"));
        assertEquals(0, loaded.get());
    }
}
