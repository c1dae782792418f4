package io.presence.signaling.room;

import io.presence.signaling.identity.Principal;
import io.presence.signaling.protocol.ChatMessageView;
import io.presence.signaling.protocol.ClientMessage;
import io.presence.signaling.protocol.RoomEvent;
import io.presence.signaling.protocol.ServerMessage;
import io.presence.signaling.runtime.ManualLoops;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Edits, deletes, read markers and paging both ways in an ephemeral room (in-memory chat), on a manual loop and
 * manual time: rights by sender, edit window and owner (with a reason), idempotent delete, monotonic markers.
 * "a" is the room's owner; "b" a member; "a2" is a second session of a's user.
 */
class RoomChatEditsTest {
    static final Duration WINDOW = Duration.ofMinutes(15);
    final ManualLoops loops = new ManualLoops(1);
    RoomDirectory directory;
    Room room;
    RecordingSink a;
    RecordingSink b;

    @BeforeEach
    void setUp() throws Exception {
        open(WINDOW);
    }

    void open(Duration window) throws Exception {
        directory = new RoomDirectory(loops, new RoomSettings(3, 10, Duration.ofSeconds(5), Duration.ZERO, window),
                loops.time(), new RoomStats() { });
        room = directory.create(null, null, Principal.user("dev:creator", "Creator", null)).toCompletableFuture()
                .join();
        a = new RecordingSink(loops::run);
        b = new RecordingSink(loops::run);
        room.join(a, profile("a", "user-a"), true, new Reply("j", "c"));
        a.take(ServerMessage.RoomJoined.class);
        room.join(b, profile("b", "user-b"), false, new Reply("j", "c"));
        b.take(ServerMessage.RoomJoined.class);
        a.take(RoomEvent.MemberJoined.class);
    }

    static MemberProfile profile(String memberId, String userId) {
        return new MemberProfile(memberId, userId, "Name " + memberId, null);
    }

    /** Sends from {@code sink}'s member and drains the ack and every copy; returns the message id. */
    long send(RecordingSink from, String memberId, String text) throws Exception {
        room.chat(from, memberId, new ClientMessage.SendChat("s", room.id(), "c-" + text, text, null),
                new Reply("s", "c"));
        long id = from.take(ServerMessage.ChatAck.class).messageId();
        a.take(RoomEvent.ChatPosted.class);
        b.take(RoomEvent.ChatPosted.class);
        return id;
    }

    Object edit(RecordingSink from, String memberId, long id, String text, String reason) throws Exception {
        room.editChat(from, memberId, new ClientMessage.EditChat("e", room.id(), id, text, reason),
                new Reply("e", "c"));
        return from.take();
    }

    Object delete(RecordingSink from, String memberId, long id, String reason) throws Exception {
        room.deleteChat(from, memberId, new ClientMessage.DeleteChat("d", room.id(), id, reason), new Reply("d", "c"));
        return from.take();
    }

    ServerMessage.HistoryPage history(Long before, Long after, int limit) throws Exception {
        room.history(a, "a", before, after, limit, new Reply("h", "c"));
        return a.take(ServerMessage.HistoryPage.class);
    }

    static String code(Object reply) {
        if (!(reply instanceof ServerMessage.Error e)) {
            throw new AssertionError("expected an error but got " + reply);
        }
        return e.code();
    }

    @Test
    void theSenderEditsWithinTheWindowAndEveryMemberSeesTheWholeMessage() throws Exception {
        long id = send(b, "b", "helo");
        loops.advance(Duration.ofMinutes(14));
        assertTrue(edit(b, "b", id, "hello", null) instanceof ServerMessage.Ok);
        ChatMessageView edited = b.take(RoomEvent.ChatEdited.class).message();
        assertEquals(edited, a.take(RoomEvent.ChatEdited.class).message());
        assertEquals("hello", edited.text());
        assertEquals(id, edited.id());
        assertEquals(loops.time().millis(), edited.editedAt());
        assertNull(edited.editedBy(), "the sender's own edit names no editor");
        assertEquals(List.of(edited), history(null, null, 10).messages());
        a.assertEmpty();
        b.assertEmpty();
    }

    @Test
    void pastTheWindowTheSenderIsRefusedAndTheOwnerNeedsAReason() throws Exception {
        long id = send(b, "b", "original");
        loops.advance(WINDOW.plusMillis(1));
        ServerMessage.Error late = (ServerMessage.Error) edit(b, "b", id, "changed", null);
        assertEquals("forbidden", late.code());
        assertTrue(late.message().contains("window"), late.message());
        assertEquals("invalid_field", code(edit(a, "a", id, "moderated", null)));
        assertEquals("invalid_field", code(edit(a, "a", id, "moderated", "  ")));
        assertEquals("original", history(null, null, 10).messages().get(0).text(), "refusals change nothing");
        a.assertEmpty();
        b.assertEmpty();

        assertTrue(edit(a, "a", id, "moderated", "rude") instanceof ServerMessage.Ok);
        ChatMessageView m = a.take(RoomEvent.ChatEdited.class).message();
        assertEquals(m, b.take(RoomEvent.ChatEdited.class).message());
        assertEquals("user-a", m.editedBy());
        assertEquals("rude", m.editReason());
        assertEquals("moderated", m.text());
        // The owner edits its own message any time, without a reason.
        long own = send(a, "a", "mine");
        loops.advance(Duration.ofDays(2));
        assertTrue(edit(a, "a", own, "still mine", null) instanceof ServerMessage.Ok);
        assertNull(a.take(RoomEvent.ChatEdited.class).message().editedBy());
        b.take(RoomEvent.ChatEdited.class);
    }

    @Test
    void othersMayNotEditOrDeleteAndUnknownIdsAreTyped() throws Exception {
        long id = send(a, "a", "owner's");
        assertEquals("forbidden", code(edit(b, "b", id, "hijack", "because")));
        assertEquals("forbidden", code(delete(b, "b", id, "because")));
        assertEquals("unknown_message", code(edit(a, "a", 99, "x", null)));
        assertEquals("unknown_message", code(delete(a, "a", 99, null)));
        RecordingSink stranger = new RecordingSink(loops::run);
        assertEquals("not_in_room", code(delete(stranger, "z", id, null)));
        assertEquals("owner's", history(null, null, 10).messages().get(0).text());
        a.assertEmpty();
        b.assertEmpty();
    }

    @Test
    void aWindowOfZeroMeansSendersNeverEdit() throws Exception {
        open(Duration.ZERO);
        long id = send(b, "b", "typo");
        assertEquals("forbidden", code(edit(b, "b", id, "fixed", null)));
        assertTrue(edit(a, "a", id, "fixed", "typo") instanceof ServerMessage.Ok);
    }

    @Test
    void deleteWipesTheTextOnceAndADeletedMessageCannotBeEdited() throws Exception {
        long first = send(b, "b", "secret");
        long reply = send(a, "a", "answer");
        assertTrue(delete(b, "b", first, null) instanceof ServerMessage.Ok);
        RoomEvent.ChatDeleted event = b.take(RoomEvent.ChatDeleted.class);
        assertEquals(event, a.take(RoomEvent.ChatDeleted.class));
        assertEquals(first, event.messageId());
        assertEquals("user-b", event.deletedBy());
        assertNull(event.reason());

        assertTrue(delete(b, "b", first, null) instanceof ServerMessage.Ok, "deleting twice is ok");
        assertEquals("forbidden", code(edit(b, "b", first, "back", null)));
        a.assertEmpty();
        b.assertEmpty();

        ChatMessageView deleted = history(null, null, 10).messages().get(0);
        assertEquals("", deleted.text());
        assertEquals(Boolean.TRUE, deleted.deleted());
        assertEquals("user-b", deleted.deletedBy());
        assertEquals(first, deleted.id());
        assertEquals("user-b", deleted.fromUserId());
        // The owner deletes someone else's message only with a reason.
        assertEquals(reply, history(null, null, 10).messages().get(1).id());
        long other = send(b, "b", "spam");
        assertEquals("invalid_field", code(delete(a, "a", other, null)));
        assertTrue(delete(a, "a", other, "spam") instanceof ServerMessage.Ok);
        RoomEvent.ChatDeleted moderated = b.take(RoomEvent.ChatDeleted.class);
        assertEquals("user-a", moderated.deletedBy());
        assertEquals("spam", moderated.reason());
        a.take(RoomEvent.ChatDeleted.class);
    }

    @Test
    void readMarkersMoveForwardOnlyAndReachTheUsersOtherSessionsOnly() throws Exception {
        RecordingSink a2 = new RecordingSink(loops::run);
        room.join(a2, profile("a2", "user-a"), false, new Reply("j", "c"));
        a2.take(ServerMessage.RoomJoined.class);
        a.take(RoomEvent.MemberJoined.class);
        b.take(RoomEvent.MemberJoined.class);
        room.chat(b, "b", new ClientMessage.SendChat("s", room.id(), "c1", "one", null), new Reply("s", "c"));
        room.chat(b, "b", new ClientMessage.SendChat("s", room.id(), "c2", "two", null), new Reply("s", "c"));
        loops.run();
        a.received.clear();
        a2.received.clear();
        b.received.clear();

        room.markRead(a, "a", 2, new Reply("r", "c"));
        assertTrue(a.take() instanceof ServerMessage.Ok);
        assertEquals(new RoomEvent.ChatRead(room.id(), "user-a", 2), a2.take(RoomEvent.ChatRead.class));
        room.markRead(a2, "a2", 1, new Reply("r", "c"));
        assertTrue(a2.take() instanceof ServerMessage.Ok, "an older message is ok and changes nothing");
        room.markRead(a2, "a2", 99, new Reply("r", "c"));
        assertEquals("unknown_message", code(a2.take()));
        a.assertEmpty();
        a2.assertEmpty();
        b.assertEmpty();
    }

    @Test
    void historyPagesBothWaysAndRefusesACursorOfNoMessageHere() throws Exception {
        for (int i = 1; i <= 4; i++) {
            send(b, "b", "m" + i);
        }
        ServerMessage.HistoryPage after = history(null, 1L, 2);
        assertEquals(List.of(2L, 3L), after.messages().stream().map(ChatMessageView::id).toList());
        assertTrue(after.hasMore());
        ServerMessage.HistoryPage last = history(null, 3L, 2);
        assertEquals(List.of(4L), last.messages().stream().map(ChatMessageView::id).toList());
        assertFalse(last.hasMore());
        ServerMessage.HistoryPage before = history(3L, null, 5);
        assertEquals(List.of(1L, 2L), before.messages().stream().map(ChatMessageView::id).toList());
        assertFalse(before.hasMore());
        // A deleted message is still a cursor.
        delete(b, "b", 2, null);
        b.take(RoomEvent.ChatDeleted.class);
        a.take(RoomEvent.ChatDeleted.class);
        assertEquals(List.of(3L, 4L), history(null, 2L, 5).messages().stream().map(ChatMessageView::id).toList());

        room.history(a, "a", null, 99L, 5, new Reply("h", "c"));
        ServerMessage.Error foreign = (ServerMessage.Error) a.take();
        assertEquals("invalid_field", foreign.code());
        assertTrue(foreign.message().contains("'after'"), foreign.message());
        room.history(a, "a", 99L, null, 5, new Reply("h", "c"));
        assertTrue(((ServerMessage.Error) a.take()).message().contains("'before'"));
        a.assertEmpty();
    }
}
