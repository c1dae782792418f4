package io.presence.signaling.room;

import io.presence.signaling.protocol.ClientMessage;
import io.presence.signaling.protocol.RoomEvent;
import io.presence.signaling.protocol.ServerMessage;
import io.presence.signaling.runtime.ManualLoops;
import io.presence.signaling.storage.EphemeralRoomStore;
import io.presence.signaling.storage.ManualChatStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A room over a chat store whose writes complete when the test says: acknowledgement and fan-out wait for the
 * write, deliveries keep the order the room accepted the messages in, a failed write delivers nothing.
 */
class RoomChatOrderTest {
    final ManualLoops loops = new ManualLoops(1);
    final ManualChatStore store = new ManualChatStore();
    Room room;
    RecordingSink a;
    RecordingSink b;

    @BeforeEach
    void setUp() throws Exception {
        RoomDirectory registry = new RoomDirectory(loops, new RoomSettings(8, 10, Duration.ofSeconds(5)), loops.time(),
                new RoomStats() { }, EphemeralRoomStore.INSTANCE, store, LiveServices.standalone(), LiveStats.NONE);
        room = RoomTest.create(registry);
        a = new RecordingSink(loops::run);
        b = new RecordingSink(loops::run);
        room.join(a, RoomTest.profile("a"), true, new Reply("j", "c"));
        room.join(b, RoomTest.profile("b"), false, new Reply("j", "c"));
        a.take(ServerMessage.RoomJoined.class);
        a.take(RoomEvent.MemberJoined.class);
        b.take(ServerMessage.RoomJoined.class);
    }

    void chat(String clientMsgId, String text) {
        room.chat(a, "a", new ClientMessage.SendChat(clientMsgId, room.id(), clientMsgId, text, null),
                new Reply(clientMsgId, "c"));
    }

    @Test
    void nothingIsAcknowledgedOrDeliveredBeforeTheWriteCompletes() throws Exception {
        chat("m1", "one");
        a.assertEmpty();
        b.assertEmpty();
        assertEquals(1, store.appends.size());
        assertEquals("one", store.appends.get(0).draft().text());
        store.store(0, 41);
        ServerMessage.ChatAck ack = a.take(ServerMessage.ChatAck.class);
        assertEquals(41, ack.messageId(), "the id the store assigned");
        assertEquals(41, a.take(RoomEvent.ChatPosted.class).message().id());
        assertEquals("one", b.take(RoomEvent.ChatPosted.class).message().text());
        a.assertEmpty();
        b.assertEmpty();
    }

    @Test
    void aWriteCompletingEarlyWaitsForTheOnesAcceptedBeforeIt() throws Exception {
        chat("m1", "one");
        chat("m2", "two");
        chat("m3", "three");
        loops.run();
        store.store(2, 3);
        store.store(1, 2);
        b.assertEmpty();
        a.assertEmpty();
        store.store(0, 1);
        for (long id = 1; id <= 3; id++) {
            assertEquals(id, a.take(ServerMessage.ChatAck.class).messageId());
            assertEquals(id, a.take(RoomEvent.ChatPosted.class).message().id());
            assertEquals(id, b.take(RoomEvent.ChatPosted.class).message().id());
        }
        a.assertEmpty();
        b.assertEmpty();
    }

    @Test
    void aFailedWriteAnswersTheSenderWithAnErrorAndDeliversNothing() throws Exception {
        chat("m1", "lost");
        chat("m2", "kept");
        loops.run();
        store.store(1, 7);
        store.fail(0);
        ServerMessage.Error error = a.take(ServerMessage.Error.class);
        assertEquals("m1", error.requestId());
        assertEquals("internal", error.code());
        assertEquals(7, a.take(ServerMessage.ChatAck.class).messageId());
        assertEquals("kept", a.take(RoomEvent.ChatPosted.class).message().text());
        assertEquals("kept", b.take(RoomEvent.ChatPosted.class).message().text(), "the failed one never reached b");
        a.assertEmpty();
        b.assertEmpty();
    }

    @Test
    void aStoreThatCannotTakeTheWriteAnswersStorageUnavailableAndDeliversNothing() throws Exception {
        chat("m1", "not now");
        loops.run();
        store.failUnavailable(0);
        ServerMessage.Error error = a.take(ServerMessage.Error.class);
        assertEquals("m1", error.requestId());
        assertEquals("storage_unavailable", error.code());
        a.assertEmpty();
        b.assertEmpty();
    }
}
