package io.presence.signaling.transport;

import io.presence.signaling.client.ClientOptions.Transport;
import io.presence.signaling.client.ClientSession;
import io.presence.signaling.protocol.RoomEvent;
import io.presence.signaling.protocol.ServerMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChatFlowTest {
    static final Duration T = Duration.ofSeconds(5);
    TestServer ts;

    @BeforeEach
    void start() {
        ts = TestServer.start();
    }

    @AfterEach
    void stop() {
        ts.close();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void membersSeeSnapshotThenDeltasAndChat(Transport transport) {
        ClientSession alice = ts.session(transport, "alice");
        ClientSession bob = ts.session(transport == Transport.WS ? Transport.TCP : Transport.WS, "bob");

        String roomId = alice.createRoom();
        assertTrue(roomId.matches("[A-Za-z0-9_-]{22}"), roomId);
        ServerMessage.RoomJoined snapshot = bob.join(roomId);
        assertEquals(2, snapshot.members().size());
        assertEquals("member", snapshot.role());
        assertEquals("owner", snapshot.members().get(0).role());
        assertEquals("alice", snapshot.members().get(0).displayName());

        RoomEvent.MemberJoined joined = alice.awaitEvent(RoomEvent.MemberJoined.class, T);
        assertNotNull(joined);
        assertEquals("bob", joined.member().displayName());
        assertEquals(bob.sessionId(), joined.member().memberId());

        ServerMessage.ChatAck ack = alice.chat(roomId, "c1", "hello <b>bob</b>");
        assertFalse(ack.duplicate());
        RoomEvent.ChatPosted posted = bob.awaitEvent(RoomEvent.ChatPosted.class, T);
        assertEquals(ack.messageId(), posted.message().id());
        assertEquals("hello <b>bob</b>", posted.message().text());
        assertEquals(alice.sessionId(), posted.message().fromMemberId());
        assertEquals(ack.ts(), posted.message().ts());

        ServerMessage.HistoryPage page = bob.history(roomId, null, 10);
        assertEquals(List.of(ack.messageId()), page.messages().stream().map(m -> m.id()).toList());

        bob.leave(roomId);
        RoomEvent.MemberLeft left = alice.awaitEvent(RoomEvent.MemberLeft.class, T);
        assertEquals(bob.sessionId(), left.memberId());
        assertEquals("left", left.reason());
        assertEquals(0, alice.gaps() + bob.gaps() + alice.duplicates() + bob.duplicates());
    }

    @Test
    void sequenceNumbersIncreaseByOne() {
        ClientSession alice = ts.session(Transport.TCP, "alice");
        String room = alice.createRoom();
        for (int i = 0; i < 20; i++) {
            alice.chat(room, "m" + i, "text " + i);
        }
        long expected = 1;
        for (int i = 0; i < 20; i++) {
            ServerMessage.EventFrame f = alice.nextEvent(T);
            assertNotNull(f);
            assertEquals(expected++, f.seq());
        }
        assertEquals(0, alice.gaps());
    }

    @Test
    void sessionIdsAndTokensAreDistinct() {
        ClientSession a = ts.session(Transport.TCP, "same");
        ClientSession b = ts.session(Transport.TCP, "same");
        assertNotEquals(a.sessionId(), b.sessionId());
        assertNotEquals(a.resumeToken(), b.resumeToken());
        assertTrue(a.resumeToken().length() >= 43, "256-bit token");
        // a second hello for the same identity does not kick the first
        assertTrue(a.isConnected());
        a.createRoom();
    }
}
