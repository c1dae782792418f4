package io.presence.signaling.room;

import io.presence.signaling.identity.Principal;
import io.presence.signaling.protocol.ClientMessage;
import io.presence.signaling.protocol.RoomEvent;
import io.presence.signaling.protocol.ServerMessage;
import io.presence.signaling.runtime.ManualLoops;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Room logic against recording sinks: no sockets, no threads. The room runs on a manual loop; each test runs the
 * loop's tasks ({@link #run}) before it looks at what the sinks got, and moves time by hand for timers.
 */
class RoomTest {
    static final Duration TYPING_TIMEOUT = Duration.ofMillis(100);
    final ManualLoops loops = new ManualLoops(1);
    RoomDirectory registry;
    final AtomicInteger rooms = new AtomicInteger();

    @BeforeEach
    void setUp() {
        registry = new RoomDirectory(loops, new RoomSettings(3, 5, TYPING_TIMEOUT), loops.time(), new RoomStats() {
            @Override
            public void roomOpened() {
                rooms.incrementAndGet();
            }

            @Override
            public void roomClosed() {
                rooms.decrementAndGet();
            }
        });
    }

    /** A sink that runs the loop's queued tasks before each look at what it received. */
    RecordingSink sink() {
        return new RecordingSink(loops::run);
    }

    /** A new ephemeral room (the in-memory directory creates it at once). */
    static Room create(RoomDirectory directory) {
        return directory.create(null, null, Principal.user("dev:creator", "Creator", null)).toCompletableFuture()
                .join();
    }

    static MemberProfile profile(String id) {
        return new MemberProfile(id, "user-" + id, "Name " + id, null);
    }

    @Test
    void joinGivesSnapshotToTheJoinerAndDeltaToOthers() throws Exception {
        Room room = create(registry);
        RecordingSink a = sink();
        RecordingSink b = sink();
        room.join(a, profile("a"), true, new Reply("r1", "conn"));
        ServerMessage.RoomJoined snapA = a.take(ServerMessage.RoomJoined.class);
        assertEquals("r1", snapA.requestId());
        assertEquals("owner", snapA.role());
        room.join(b, profile("b"), false, new Reply("r2", "conn"));
        ServerMessage.RoomJoined snapB = b.take(ServerMessage.RoomJoined.class);
        assertEquals(2, snapB.members().size());
        assertEquals("Name b", a.take(RoomEvent.MemberJoined.class).member().displayName());
        // joining again is idempotent: a fresh snapshot, no event
        room.join(b, profile("b"), false, new Reply("r3", "conn"));
        assertEquals("r3", b.take(ServerMessage.RoomJoined.class).requestId());
        a.assertEmpty();
        b.assertEmpty();
    }

    @Test
    void memberLimitIsEnforced() throws Exception {
        Room room = create(registry);
        for (String id : new String[]{"a", "b", "c"}) {
            RecordingSink s = sink();
            room.join(s, profile(id), false, new Reply(id, "c"));
            s.take(ServerMessage.RoomJoined.class);
        }
        RecordingSink d = sink();
        room.join(d, profile("d"), false, new Reply("rd", "c"));
        ServerMessage.Error e = d.take(ServerMessage.Error.class);
        assertEquals("members_per_room", e.limit());
        assertEquals("detached:" + room.id(), d.take());
    }

    @Test
    void chatIsAckedThenFannedOutAndDeduplicatedByUserAndClientId() throws Exception {
        Room room = create(registry);
        RecordingSink a = sink();
        RecordingSink b = sink();
        room.join(a, profile("a"), true, new Reply("j", "c"));
        room.join(b, profile("b"), false, new Reply("j", "c"));
        a.take(ServerMessage.RoomJoined.class);
        a.take(RoomEvent.MemberJoined.class);
        b.take(ServerMessage.RoomJoined.class);

        room.chat(a, "a", new ClientMessage.SendChat("s1", room.id(), "c1", "hi", null), new Reply("s1", "c"));
        ServerMessage.ChatAck ack = a.take(ServerMessage.ChatAck.class);
        assertEquals(1, ack.messageId());
        assertEquals(loops.time().millis(), ack.ts());
        assertEquals(ack.messageId(), a.take(RoomEvent.ChatPosted.class).message().id());
        assertEquals("hi", b.take(RoomEvent.ChatPosted.class).message().text());

        room.chat(a, "a", new ClientMessage.SendChat("s2", room.id(), "c1", "hi", null), new Reply("s2", "c"));
        ServerMessage.ChatAck dup = a.take(ServerMessage.ChatAck.class);
        assertTrue(dup.duplicate());
        assertEquals(1, dup.messageId());
        // the same client id from another user is a different message
        room.chat(b, "b", new ClientMessage.SendChat("s3", room.id(), "c1", "mine", null), new Reply("s3", "c"));
        assertEquals(2, b.take(ServerMessage.ChatAck.class).messageId());
        a.take(RoomEvent.ChatPosted.class);
        b.take(RoomEvent.ChatPosted.class);
        a.assertEmpty();
        b.assertEmpty();
    }

    @Test
    void nonMembersGetTypedErrorsAndChangeNothing() throws Exception {
        Room room = create(registry);
        RecordingSink a = sink();
        room.join(a, profile("a"), true, new Reply("j", "c"));
        a.take(ServerMessage.RoomJoined.class);
        RecordingSink x = sink();
        room.chat(x, "x", new ClientMessage.SendChat("s", room.id(), "c", "t", null), new Reply("s", "c"));
        assertEquals("not_in_room", x.take(ServerMessage.Error.class).code());
        room.typing(x, "x", true, new Reply("t", "c"));
        assertEquals("not_in_room", x.take(ServerMessage.Error.class).code());
        room.history(x, "x", null, 10, new Reply("h", "c"));
        assertEquals("not_in_room", x.take(ServerMessage.Error.class).code());
        room.history(a, "a", null, 10, new Reply("h", "c"));
        assertEquals(0, a.take(ServerMessage.HistoryPage.class).messages().size());
        a.assertEmpty();
    }

    @Test
    void reconnectingAndBackAreShownToOthersOnce() throws Exception {
        Room room = create(registry);
        RecordingSink a = sink();
        RecordingSink b = sink();
        room.join(a, profile("a"), true, new Reply("j", "c"));
        room.join(b, profile("b"), false, new Reply("j", "c"));
        a.take(ServerMessage.RoomJoined.class);
        a.take(RoomEvent.MemberJoined.class);
        b.take(ServerMessage.RoomJoined.class);
        room.setConnected("b", false);
        room.setConnected("b", false);
        assertEquals("b", a.take(RoomEvent.MemberReconnecting.class).memberId());
        room.join(sink(), profile("c"), false, new Reply("j", "c"));
        RoomEvent.MemberJoined joinedC = a.take(RoomEvent.MemberJoined.class);
        assertEquals("c", joinedC.member().memberId());
        b.take(RoomEvent.MemberJoined.class);
        room.setConnected("b", true);
        assertEquals("b", a.take(RoomEvent.MemberBack.class).memberId());
        a.assertEmpty();
        b.assertEmpty();
    }

    @Test
    void typingExpiresAndLeavingTheLastMemberClosesTheRoom() throws Exception {
        Room room = create(registry);
        assertEquals(1, rooms.get());
        RecordingSink a = sink();
        RecordingSink b = sink();
        room.join(a, profile("a"), true, new Reply("j", "c"));
        room.join(b, profile("b"), false, new Reply("j", "c"));
        a.take(ServerMessage.RoomJoined.class);
        a.take(RoomEvent.MemberJoined.class);
        b.take(ServerMessage.RoomJoined.class);
        room.typing(a, "a", true, new Reply("t", "c"));
        assertTrue(a.take(RoomEvent.MemberTyping.class).active());
        assertEquals(new ServerMessage.Ok("t"), a.take(ServerMessage.Ok.class));
        assertTrue(b.take(RoomEvent.MemberTyping.class).active());
        loops.advance(TYPING_TIMEOUT.minusMillis(1));
        b.assertEmpty();
        loops.advance(Duration.ofMillis(1));
        assertFalse(b.take(RoomEvent.MemberTyping.class).active(), "expired");
        a.take(RoomEvent.MemberTyping.class);

        room.leave(a, "a", "left", new Reply("l", "c"));
        assertEquals("l", a.take(ServerMessage.RoomLeft.class).requestId());
        assertEquals("detached:" + room.id(), a.take());
        assertEquals("a", b.take(RoomEvent.MemberLeft.class).memberId());
        room.leave(b, "b", "bye", Reply.NONE);
        b.take(ServerMessage.RoomLeft.class);
        b.take();
        assertNull(registry.loaded(room.id()), "room removed from the registry");
        assertEquals(0, rooms.get());
        // a late join to a closed room is refused
        RecordingSink late = sink();
        room.join(late, profile("z"), false, new Reply("z", "c"));
        assertEquals("unknown_room", late.take(ServerMessage.Error.class).code());
    }

    @Test
    void roomIdsAre128BitUrlSafe() {
        Room r1 = create(registry);
        Room r2 = create(registry);
        assertTrue(r1.id().matches("[A-Za-z0-9_-]{22}"));
        assertFalse(r1.id().equals(r2.id()));
    }
}
