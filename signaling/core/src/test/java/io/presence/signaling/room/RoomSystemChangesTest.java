package io.presence.signaling.room;

import io.presence.signaling.protocol.ChatMessageView;
import io.presence.signaling.protocol.ClientMessage;
import io.presence.signaling.protocol.ErrorCode;
import io.presence.signaling.protocol.RoomEvent;
import io.presence.signaling.protocol.ServerMessage;
import io.presence.signaling.runtime.ManualLoops;
import io.presence.signaling.storage.EphemeralRoomStore;
import io.presence.signaling.storage.ManualChatStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Changes the server makes to a room itself (the host-platform API): a system message is delivered in the order
 * the room accepted it, behind members' chats still being written; a close waits for those writes; what cannot be
 * done fails with a typed refusal and changes nothing.
 */
class RoomSystemChangesTest {
    final ManualLoops loops = new ManualLoops(1);
    final ManualChatStore chats = new ManualChatStore();
    Room room;
    RecordingSink a;
    RecordingSink b;

    @BeforeEach
    void setUp() throws Exception {
        RoomDirectory directory = new RoomDirectory(loops, new RoomSettings(8, 10, Duration.ofSeconds(5)),
                loops.time(), new RoomStats() { }, EphemeralRoomStore.INSTANCE, chats, LiveServices.standalone(),
                LiveStats.NONE);
        room = RoomTest.create(directory);
        a = new RecordingSink(loops::run);
        b = new RecordingSink(loops::run);
        room.join(a, RoomTest.profile("a"), true, new Reply("j", "c"));
        room.join(b, RoomTest.profile("b"), false, new Reply("j", "c"));
        a.take(ServerMessage.RoomJoined.class);
        a.take(RoomEvent.MemberJoined.class);
        b.take(ServerMessage.RoomJoined.class);
    }

    @Test
    void aSystemMessageWaitsBehindAMembersChatInFlight() throws Exception {
        room.chat(a, "a", new ClientMessage.SendChat("m1", room.id(), "m1", "first", null), new Reply("m1", "c"));
        CompletableFuture<ChatMessageView> posted = room.postBySystem("notice");
        loops.run();
        assertEquals(2, chats.appends.size());
        assertEquals("system", chats.appends.get(1).draft().fromMemberId());
        chats.store(1, 2);
        b.assertEmpty();
        assertFalse(posted.isDone(), "not delivered ahead of the message accepted before it");
        chats.store(0, 1);
        assertEquals("first", b.take(RoomEvent.ChatPosted.class).message().text());
        ChatMessageView notice = b.take(RoomEvent.ChatPosted.class).message();
        assertEquals("notice", notice.text());
        assertEquals(RoomChat.SYSTEM, notice.fromMemberId());
        assertTrue(posted.isDone());
        assertEquals(2, posted.join().id());
    }

    @Test
    void aFailedWriteDeliversNothingAndSaysWhy() throws Exception {
        CompletableFuture<ChatMessageView> posted = room.postBySystem("lost");
        loops.run();
        chats.fail(0);
        loops.run();
        assertTrue(posted.isDone());
        CompletionException failed = assertThrows(CompletionException.class, posted::join);
        assertInstanceOf(RoomChangeRefused.class, failed.getCause());
        b.assertEmpty();
    }

    @Test
    void renamingARoomThatIsNotKeptIsRefused() throws Exception {
        CompletableFuture<Void> renamed = room.renameBySystem("x");
        loops.run();
        assertTrue(renamed.isDone());
        RoomChangeRefused refused = (RoomChangeRefused) assertThrows(CompletionException.class, renamed::join)
                .getCause();
        assertEquals(ErrorCode.NOT_PERSISTENT, refused.code());
        b.assertEmpty();
    }

    @Test
    void closingTakesEveryoneOutAndAFurtherChangeFindsNoRoom() throws Exception {
        CompletableFuture<Void> closed = room.closeBySystem();
        loops.run();
        assertTrue(closed.isDone());
        assertEquals(new RoomEvent.RoomClosed(room.id(), Room.BY_SYSTEM), a.take(RoomEvent.RoomClosed.class));
        assertEquals(new RoomEvent.RoomClosed(room.id(), Room.BY_SYSTEM), b.take(RoomEvent.RoomClosed.class));
        CompletableFuture<ChatMessageView> late = room.postBySystem("late");
        loops.run();
        assertTrue(late.isDone());
        assertEquals(ErrorCode.UNKNOWN_ROOM,
                ((RoomChangeRefused) assertThrows(CompletionException.class, late::join).getCause()).code());
    }
}
