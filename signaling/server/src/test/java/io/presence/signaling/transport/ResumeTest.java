package io.presence.signaling.transport;

import io.presence.signaling.client.ClientOptions.Transport;
import io.presence.signaling.client.ClientSession;
import io.presence.signaling.client.SignalingException;
import io.presence.signaling.protocol.ClientMessage;
import io.presence.signaling.protocol.RoomEvent;
import io.presence.signaling.protocol.ServerMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResumeTest extends LoopbackServerTest {
    /** Drops bob's connection, sends while he is away, resumes him on the other transport: exact replay. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void resumeWithinGraceReplaysExactlyTheMissedEvents(Transport first) {
        ts = new TestServer(TestServer.settings().resumeGrace(Duration.ofSeconds(10)).build());
        ClientSession alice = ts.session(Transport.TCP, "alice");
        ClientSession bob = ts.session(first, "bob");
        String room = alice.createRoom();
        bob.join(room);
        alice.awaitEvent(RoomEvent.MemberJoined.class, T);

        for (int i = 0; i < 5; i++) {
            alice.chat(room, "before-" + i, "before " + i);
        }
        List<Long> seen = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            seen.add(bob.awaitEvent(RoomEvent.ChatPosted.class, T).message().id());
        }
        long seqBeforeDrop = bob.lastSeq();

        bob.dropConnection();
        RoomEvent.MemberReconnecting reconnecting = alice.awaitEvent(RoomEvent.MemberReconnecting.class, T);
        assertNotNull(reconnecting);
        assertEquals(bob.sessionId(), reconnecting.memberId());

        List<Long> sentWhileAway = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            sentWhileAway.add(alice.chat(room, "away-" + i, "away " + i).messageId());
        }

        Transport other = first == Transport.WS ? Transport.TCP : Transport.WS;
        ServerMessage.Welcome welcome = bob.resume(ts.options(other));
        assertTrue(welcome.resumed());
        assertEquals(seqBeforeDrop + 30, welcome.lastSeq());

        List<Long> replayed = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            ServerMessage.EventFrame f = bob.nextEvent(T);
            assertNotNull(f, "replayed event " + i);
            assertEquals(seqBeforeDrop + 1 + i, f.seq());
            replayed.add(((RoomEvent.ChatPosted) f.event()).message().id());
        }
        assertEquals(sentWhileAway, replayed);
        assertNull(bob.nextEvent(Duration.ofMillis(100)), "nothing beyond the missed events");
        assertEquals(0, bob.gaps());
        assertEquals(0, bob.duplicates());

        RoomEvent.MemberBack back = alice.awaitEvent(RoomEvent.MemberBack.class, T);
        assertEquals(bob.sessionId(), back.memberId());

        // and the session continues live
        long id = alice.chat(room, "after", "after").messageId();
        assertEquals(id, bob.awaitEvent(RoomEvent.ChatPosted.class, T).message().id());
        assertEquals(1.0, ts.counter("presence.resumes", "result", "succeeded"));
    }

    /** Resumes while the room keeps talking: every message arrives exactly once, in order, across three drops. */
    @Test
    void repeatedResumesUnderLiveTrafficLoseAndRepeatNothing() throws Exception {
        ts = new TestServer(TestServer.settings().resumeGrace(Duration.ofSeconds(10)).build());
        ClientSession alice = ts.session(Transport.TCP, "alice");
        ClientSession bob = ts.session(Transport.WS, "bob");
        String room = alice.createRoom();
        bob.join(room);
        alice.awaitEvent(RoomEvent.MemberJoined.class, T);
        // The sender runs until the resumes are over (bounded), so the drops always happen mid-stream,
        // whatever the machine's speed.
        int cap = 5000;
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        List<Long> acked = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread sender = new Thread(() -> {
            for (int i = 0; i < cap && !stop.get(); i++) {
                acked.add(alice.chat(room, "live-" + i, "live " + i).messageId());
            }
        });
        sender.start();
        List<Long> received = new ArrayList<>();
        Transport[] transports = {Transport.TCP, Transport.WS, Transport.TCP};
        int drops = 0;
        for (Transport t : transports) {
            int target = received.size() + 60;
            while (received.size() < target) {
                RoomEvent.ChatPosted p = bob.awaitEvent(RoomEvent.ChatPosted.class, T);
                assertNotNull(p, "received " + received.size());
                received.add(p.message().id());
            }
            bob.dropConnection();
            assertTrue(bob.resume(ts.options(t)).resumed());
            drops++;
        }
        assertEquals(3, drops);
        int ackedAtLastResume = acked.size();
        while (received.size() < ackedAtLastResume + 20) {
            RoomEvent.ChatPosted p = bob.awaitEvent(RoomEvent.ChatPosted.class, T);
            assertNotNull(p, "received " + received.size());
            received.add(p.message().id());
        }
        stop.set(true);
        sender.join(10_000);
        assertFalse(sender.isAlive());
        assertTrue(acked.size() < cap, "the sender stopped because it was told to, not at its cap");
        while (received.size() < acked.size()) {
            RoomEvent.ChatPosted p = bob.awaitEvent(RoomEvent.ChatPosted.class, T);
            assertNotNull(p, "received " + received.size() + " of " + acked.size());
            received.add(p.message().id());
        }
        assertEquals(acked, received, "every acknowledged message exactly once, in order");
        assertNull(bob.awaitEvent(RoomEvent.ChatPosted.class, Duration.ofMillis(100)));
        assertEquals(0, bob.gaps());
    }

    /** A replay larger than the outbound queue bound is not mistaken for a slow consumer. */
    @Test
    void aLongReplayIsNotASlowConsumer() {
        ts = new TestServer(TestServer.settings().resumeGrace(Duration.ofSeconds(10)).outboundQueueMessages(16)
                .resumeBufferEvents(200).build());
        ClientSession alice = ts.session(Transport.TCP, "alice");
        ClientSession bob = ts.session(Transport.TCP, "bob");
        String room = alice.createRoom();
        bob.join(room);
        bob.dropConnection();
        alice.awaitEvent(RoomEvent.MemberReconnecting.class, T);
        for (int i = 0; i < 100; i++) {
            alice.chat(room, "r" + i, "x");
        }
        long before = bob.lastSeq();
        assertTrue(bob.resume().resumed());
        for (int i = 0; i < 100; i++) {
            assertNotNull(bob.awaitEvent(RoomEvent.ChatPosted.class, T), "replayed " + i);
        }
        assertEquals(before + 100, bob.lastSeq());
        assertTrue(bob.isConnected());
        assertEquals(0.0, ts.counter("presence.outbound.queue.closes", "transport", "tcp"));
    }

    @Test
    void resumeFromAnOlderSeqReplaysFromThere() {
        ts = TestServer.start();
        ClientSession alice = ts.session(Transport.TCP, "alice");
        String room = alice.createRoom();
        for (int i = 0; i < 10; i++) {
            alice.chat(room, "m" + i, "x");
        }
        Await.until(T, () -> alice.lastSeq() == 10, "10 events");
        // A second device of the same session, which has processed nothing yet.
        ClientSession device = ts.client(Transport.WS);
        ServerMessage welcome = ClientSession.expect(device.request(new io.presence.signaling.protocol.ClientMessage.Hello(
                "h", 1, null, new io.presence.signaling.protocol.ClientMessage.Resume(alice.resumeToken(), 4))));
        assertTrue(((ServerMessage.Welcome) welcome).resumed());
        for (long s = 5; s <= 10; s++) {
            assertEquals(s, device.nextEvent(T).seq());
        }
    }

    /** The newer connection takes the session over; the older is told why with closing/replaced and closed. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void aResumeTakesTheSessionOverAndTheOlderConnectionIsClosedWithReplaced(Transport older) {
        ts = TestServer.start();
        ClientSession tab1 = ts.session(older, "carol");
        String room = tab1.createRoom();
        ClientSession dave = ts.session(Transport.TCP, "dave");
        dave.join(room);
        tab1.awaitEvent(RoomEvent.MemberJoined.class, T);
        ClientSession tab2 = ts.client(Transport.TCP);
        ServerMessage.Welcome w = (ServerMessage.Welcome) ClientSession.expect(tab2.request(new ClientMessage.Hello(
                "h", 1, null, new ClientMessage.Resume(tab1.resumeToken(), tab1.lastSeq()))));
        assertTrue(w.resumed());
        assertEquals(tab1.sessionId(), w.sessionId());

        ServerMessage m = tab1.nextUnsolicited(T);
        ServerMessage.Closing closing = assertInstanceOf(ServerMessage.Closing.class, m);
        assertEquals("replaced", closing.reason());
        assertTrue(tab1.awaitDisconnect(T), "the older connection is closed");
        Await.until(T, () -> ts.counter("presence.connections.closed", "transport", older == Transport.WS ? "ws"
                : "tcp", "reason", "replaced") == 1, "the close counted with its reason");

        // The session lives on in the newer connection; the others never saw it reconnecting.
        long id = dave.chat(room, "d1", "still there?").messageId();
        assertEquals(id, tab2.awaitEvent(RoomEvent.ChatPosted.class, T).message().id());
        assertNull(dave.awaitEvent(RoomEvent.MemberReconnecting.class, Duration.ofMillis(200)));
    }

    /** Every resume hands out a new token; each works once, and a used one gets the unknown-token answer. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void theTokenIsReplacedAtEveryResumeAndTheOldOneStopsWorking(Transport transport) {
        ts = new TestServer(TestServer.settings().resumeGrace(Duration.ofSeconds(10)).build());
        ClientSession alice = ts.session(Transport.TCP, "alice");
        ClientSession bob = ts.session(transport, "bob");
        String room = alice.createRoom();
        bob.join(room);
        alice.awaitEvent(RoomEvent.MemberJoined.class, T);
        List<String> tokens = new ArrayList<>(List.of(bob.resumeToken()));
        long messages = 0;
        for (int round = 0; round < 2; round++) {
            bob.dropConnection();
            alice.awaitEvent(RoomEvent.MemberReconnecting.class, T);
            long seqBefore = bob.lastSeq();
            List<Long> sent = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                sent.add(alice.chat(room, "r" + round + "-" + i, "x").messageId());
            }
            ServerMessage.Welcome welcome = bob.resume(ts.options(transport));
            assertTrue(welcome.resumed());
            assertFalse(tokens.contains(welcome.resumeToken()), "round " + round + ": a new token");
            assertTrue(welcome.resumeToken().length() >= 43, "256-bit token");
            tokens.add(welcome.resumeToken());
            for (long id : sent) {
                ServerMessage.EventFrame f = bob.nextEvent(T);
                assertEquals(++seqBefore, f.seq());
                assertEquals(id, ((RoomEvent.ChatPosted) f.event()).message().id());
            }
            alice.awaitEvent(RoomEvent.MemberBack.class, T);
            messages += sent.size();
        }
        assertEquals(0, bob.gaps());
        assertEquals(0, bob.duplicates());
        assertEquals(3, tokens.size());

        ClientSession thief = ts.client(Transport.TCP);
        ServerMessage.Error unknown = assertInstanceOf(ServerMessage.Error.class, ClientSession.await(
                thief.request(new ClientMessage.Hello("u", 1, null, new ClientMessage.Resume("not-a-token", 0))), T));
        for (String used : tokens.subList(0, 2)) {
            ServerMessage.Error e = assertInstanceOf(ServerMessage.Error.class, ClientSession.await(
                    thief.request(new ClientMessage.Hello(thief.nextRequestId(), 1, null,
                            new ClientMessage.Resume(used, 0))), T));
            assertEquals(unknown.code(), e.code());
            assertEquals("resume_failed", e.code());
            assertEquals(unknown.message(), e.message(), "indistinguishable from a token never issued");
        }
        assertTrue(bob.isConnected(), "failed attempts with old tokens leave the session alone");
        long id = alice.chat(room, "after", "x").messageId();
        assertEquals(id, bob.awaitEvent(RoomEvent.ChatPosted.class, T).message().id());
        assertEquals(6, messages);
    }

    @Test
    void afterTheGraceWindowTheSessionEndsAndOthersSeeALeave() {
        ts = new TestServer(TestServer.settings().resumeGrace(Duration.ofMillis(300)).build());
        ClientSession alice = ts.session(Transport.TCP, "alice");
        ClientSession bob = ts.session(Transport.WS, "bob");
        String room = alice.createRoom();
        bob.join(room);
        bob.dropConnection();
        assertNotNull(alice.awaitEvent(RoomEvent.MemberReconnecting.class, T));
        RoomEvent.MemberLeft left = alice.awaitEvent(RoomEvent.MemberLeft.class, T);
        assertEquals(bob.sessionId(), left.memberId());
        assertEquals("timeout", left.reason());
        SignalingException e = assertThrows(SignalingException.class, bob::resume);
        assertEquals("resume_failed", e.code());
        assertEquals(1.0, ts.counter("presence.resumes", "result", "failed"));
        // the rejected connection may start over with a new session
        bob.hello("bob again");
        bob.join(room);
    }

    @Test
    void overflowingTheResumeBufferEndsTheSessionWithAReason() {
        ts = new TestServer(TestServer.settings().resumeGrace(Duration.ofSeconds(10)).resumeBufferEvents(8).build());
        ClientSession alice = ts.session(Transport.TCP, "alice");
        ClientSession bob = ts.session(Transport.TCP, "bob");
        String room = alice.createRoom();
        bob.join(room);
        bob.dropConnection();
        alice.awaitEvent(RoomEvent.MemberReconnecting.class, T);
        for (int i = 0; i < 9; i++) {
            alice.chat(room, "o" + i, "x");
        }
        RoomEvent.MemberLeft left = alice.awaitEvent(RoomEvent.MemberLeft.class, T);
        assertEquals("ended", left.reason());
        assertEquals("resume_failed", assertThrows(SignalingException.class, bob::resume).code());
        assertEquals(1.0, ts.counter("presence.sessions.ended", "reason", "resume_buffer_overflow"));
    }

    @Test
    void resumeWithASeqAheadOfTheServerIsRefused() {
        ts = TestServer.start();
        ClientSession alice = ts.session(Transport.TCP, "alice");
        ClientSession other = ts.client(Transport.TCP);
        ServerMessage m = ClientSession.await(other.request(new io.presence.signaling.protocol.ClientMessage.Hello(
                "h", 1, null, new io.presence.signaling.protocol.ClientMessage.Resume(alice.resumeToken(), 99))), T);
        assertEquals("resume_failed", ((ServerMessage.Error) m).code());
        ServerMessage unknown = ClientSession.await(other.request(new io.presence.signaling.protocol.ClientMessage.Hello(
                "h2", 1, null, new io.presence.signaling.protocol.ClientMessage.Resume("not-a-token", 0))), T);
        assertEquals("resume_failed", ((ServerMessage.Error) unknown).code());
    }

    @Test
    void byeEndsTheSessionAtOnce() {
        ts = TestServer.start();
        ClientSession alice = ts.session(Transport.TCP, "alice");
        ClientSession bob = ts.session(Transport.WS, "bob");
        String room = alice.createRoom();
        bob.join(room);
        bob.bye();
        RoomEvent.MemberLeft left = alice.awaitEvent(RoomEvent.MemberLeft.class, T);
        assertEquals("bye", left.reason());
        assertTrue(bob.awaitDisconnect(T));
        assertEquals("resume_failed", assertThrows(SignalingException.class, bob::resume).code());
        Await.until(T, () -> ts.server.activeSessions() == 1, "one session left");
    }
}
