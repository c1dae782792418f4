package io.presence.signaling.room;

import io.presence.signaling.protocol.ClientMessage;
import io.presence.signaling.protocol.RoomEvent;
import io.presence.signaling.protocol.ServerMessage;
import io.presence.signaling.runtime.ManualLoops;
import io.presence.signaling.storage.AppendResult;
import io.presence.signaling.storage.ChangeResult;
import io.presence.signaling.storage.ChangeRule;
import io.presence.signaling.storage.ChatDraft;
import io.presence.signaling.storage.ChatLog;
import io.presence.signaling.storage.ChatPage;
import io.presence.signaling.storage.ChatStore;
import io.presence.signaling.storage.EphemeralRoomStore;
import io.presence.signaling.storage.InMemoryChatStore;
import io.presence.signaling.storage.PageResult;
import io.presence.signaling.storage.ReadResult;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An edit or delete is delivered in order with the chat: its outcome waits behind every message accepted before
 * it, so nobody sees {@code chat.edited} ahead of a {@code chat.message} sent earlier.
 */
class RoomChatEditOrderTest {
    final ManualLoops loops = new ManualLoops(1);
    /** Appends held back from the room until the test releases them (the write itself is done). */
    final List<Runnable> held = new ArrayList<>();
    boolean hold;
    Room room;
    RecordingSink a;
    RecordingSink b;

    /** The in-memory chat, whose appends the test may hold back from the room. */
    final class HoldingStore implements ChatStore {
        final InMemoryChatStore inner = new InMemoryChatStore(10);

        @Override
        public ChatLog open(String roomId) {
            ChatLog log = inner.open(roomId);
            return new ChatLog() {
                @Override
                public CompletionStage<AppendResult> append(ChatDraft draft) {
                    CompletableFuture<AppendResult> written = log.append(draft).toCompletableFuture();
                    if (!hold) {
                        return written;
                    }
                    CompletableFuture<AppendResult> later = new CompletableFuture<>();
                    held.add(() -> later.complete(written.join()));
                    return later;
                }

                @Override
                public CompletionStage<ChatPage> page(Long before, int limit) {
                    return log.page(before, limit);
                }

                @Override
                public CompletionStage<PageResult> page(Long before, Long after, int limit) {
                    return log.page(before, after, limit);
                }

                @Override
                public CompletionStage<ChangeResult> edit(long messageId, String text, long at, String byUserId,
                                                          String reason, ChangeRule rule) {
                    return log.edit(messageId, text, at, byUserId, reason, rule);
                }

                @Override
                public CompletionStage<ChangeResult> delete(long messageId, long at, String byUserId, String reason,
                                                            ChangeRule rule) {
                    return log.delete(messageId, at, byUserId, reason, rule);
                }

                @Override
                public CompletionStage<ReadResult> markRead(String userId, long messageId) {
                    return log.markRead(userId, messageId);
                }
            };
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        RoomDirectory directory = new RoomDirectory(loops, new RoomSettings(8, 10, Duration.ofSeconds(5)),
                loops.time(), new RoomStats() { }, EphemeralRoomStore.INSTANCE, new HoldingStore(),
                LiveServices.standalone(), LiveStats.NONE);
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
    void anEditWaitsForTheChatAcceptedBeforeIt() throws Exception {
        room.chat(a, "a", new ClientMessage.SendChat("s1", room.id(), "c1", "one", null), new Reply("s1", "c"));
        a.take(ServerMessage.ChatAck.class);
        a.take(RoomEvent.ChatPosted.class);
        b.take(RoomEvent.ChatPosted.class);

        hold = true;
        room.chat(b, "b", new ClientMessage.SendChat("s2", room.id(), "c2", "two", null), new Reply("s2", "c"));
        room.editChat(a, "a", new ClientMessage.EditChat("e", room.id(), 1, "one!", null), new Reply("e", "c"));
        room.deleteChat(a, "a", new ClientMessage.DeleteChat("d", room.id(), 1, null), new Reply("d", "c"));
        loops.run();
        a.assertEmpty();
        b.assertEmpty();

        held.forEach(Runnable::run);
        assertEquals(2, b.take(ServerMessage.ChatAck.class).messageId());
        assertEquals(2, b.take(RoomEvent.ChatPosted.class).message().id());
        assertEquals("one!", b.take(RoomEvent.ChatEdited.class).message().text());
        assertEquals(1, b.take(RoomEvent.ChatDeleted.class).messageId());
        assertEquals(2, a.take(RoomEvent.ChatPosted.class).message().id());
        assertTrue(a.take() instanceof ServerMessage.Ok);
        a.take(RoomEvent.ChatEdited.class);
        assertTrue(a.take() instanceof ServerMessage.Ok);
        a.take(RoomEvent.ChatDeleted.class);
        a.assertEmpty();
        b.assertEmpty();
    }
}
