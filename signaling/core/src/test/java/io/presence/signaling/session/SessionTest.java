package io.presence.signaling.session;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.presence.signaling.core.SignalingCore;
import io.presence.signaling.protocol.ClientMessage;
import io.presence.signaling.protocol.RoomEvent;
import io.presence.signaling.protocol.ServerMessage;
import io.presence.signaling.runtime.ManualLoops;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sessions driven without sockets or threads: a core built on manual loops and manual time, connections that
 * record what they are sent. Each look at a connection first runs every loop's queued tasks; timers fire only when
 * the test moves time.
 */
class SessionTest {
    static final Duration GRACE = Duration.ofSeconds(30);

    final ManualLoops loops = new ManualLoops(2);
    SignalingSettings settings;
    SignalingCore core;

    @BeforeEach
    void setUp() {
        settings = SignalingSettings.builder()
                .devAuthEnabled(true)
                .messageRate(4, 4)
                .resumeGrace(GRACE)
                .build();
        core = SignalingCore.builder(settings).loops(loops).time(loops.time()).meters(new SimpleMeterRegistry())
                .build();
    }

    @AfterEach
    void tearDown() {
        core.close();
    }

    RecordingConnection connection(String id) {
        return new RecordingConnection(id, loops::run);
    }

    /** Opens a session for {@code name} on loop {@code loop}; returns its welcome. */
    ServerMessage.Welcome open(RecordingConnection c, String name, int loop) {
        core.sessions().hello(c, loops.get(loop), new ClientMessage.Hello("h", settings.maxProtocolVersion(),
                new ClientMessage.Credentials("dev", name, null, null), null));
        return c.take(ServerMessage.Welcome.class);
    }

    ServerMessage.Welcome resume(RecordingConnection c, String token, long lastSeq, int loop) {
        core.sessions().hello(c, loops.get(loop), new ClientMessage.Hello("r", settings.maxProtocolVersion(), null,
                new ClientMessage.Resume(token, lastSeq)));
        return c.take(ServerMessage.Welcome.class);
    }

    static void send(RecordingConnection c, ClientMessage m) {
        c.session.request(c, m);
    }

    /** a creates a room, b joins it; both connections are left with nothing to read. Returns the room id. */
    String roomOf(RecordingConnection a, RecordingConnection b) {
        send(a, new ClientMessage.CreateRoom("c", null));
        String roomId = a.take(ServerMessage.RoomJoined.class).roomId();
        send(b, new ClientMessage.JoinRoom("j", roomId));
        assertEquals(2, b.take(ServerMessage.RoomJoined.class).members().size());
        a.takeEvent(RoomEvent.MemberJoined.class);
        a.assertEmpty();
        b.assertEmpty();
        return roomId;
    }

    @Test
    void helloOpensASessionWhoseRequestsAreAnsweredInOrderAndWhoseEventsAreNumbered() {
        RecordingConnection a = connection("a");
        ServerMessage.Welcome welcome = open(a, "Ann", 0);
        assertEquals("dev:Ann", welcome.userId());
        assertFalse(welcome.resumed());
        assertEquals(0, welcome.lastSeq());
        assertEquals(1, core.sessions().activeSessions());

        send(a, new ClientMessage.CreateRoom("1", null));
        send(a, new ClientMessage.Ping("2"));
        String roomId = a.take(ServerMessage.RoomJoined.class).roomId();
        assertEquals("2", a.take(ServerMessage.Pong.class).requestId());
        send(a, new ClientMessage.SendChat("3", roomId, "m1", "hello", null));
        send(a, new ClientMessage.SendChat("4", roomId, "m2", "again", null));
        ServerMessage.ChatAck first = a.take(ServerMessage.ChatAck.class);
        assertEquals("3", first.requestId());
        assertEquals(loops.time().millis(), first.ts(), "stamped with the core's time source");
        // Both requests were in flight: the events wait behind the second response (ResponseOrder).
        assertEquals("4", a.take(ServerMessage.ChatAck.class).requestId());
        ServerMessage.EventFrame posted = a.take(ServerMessage.EventFrame.class);
        assertEquals(1, posted.seq());
        assertEquals("hello", ((RoomEvent.ChatPosted) posted.event()).message().text());
        assertEquals(2, a.take(ServerMessage.EventFrame.class).seq());
        a.assertEmpty();
    }

    @Test
    void theMessageRateRefillsOnlyAsTheInjectedTimeMoves() {
        RecordingConnection a = connection("a");
        open(a, "Ann", 0);
        for (int i = 0; i < 5; i++) {
            send(a, new ClientMessage.UpdateProfile("p" + i, "Ann " + i, null));
        }
        for (int i = 0; i < 4; i++) {
            assertEquals("p" + i, a.take(ServerMessage.Ok.class).requestId());
        }
        assertEquals("message_rate", a.take(ServerMessage.Error.class).limit(), "burst of 4 used up");
        loops.advance(Duration.ofMillis(240));
        send(a, new ClientMessage.UpdateProfile("q", "Ann", null));
        assertEquals("message_rate", a.take(ServerMessage.Error.class).limit(), "less than one token back");
        loops.advance(Duration.ofMillis(260));
        send(a, new ClientMessage.UpdateProfile("r", "Ann", null));
        assertEquals("r", a.take(ServerMessage.Ok.class).requestId(), "one token after 250 ms at 4 per second");
    }

    @Test
    void aDetachedSessionLeavesItsRoomsWhenTheGraceWindowExpires() {
        RecordingConnection a = connection("a");
        RecordingConnection b = connection("b");
        open(a, "Ann", 0);
        open(b, "Bob", 1);
        roomOf(a, b);
        a.session.connectionClosed(a);
        assertEquals(a.session.id(), b.takeEvent(RoomEvent.MemberReconnecting.class).memberId());
        loops.advance(GRACE.minusMillis(1));
        b.assertEmpty();
        assertEquals(2, core.sessions().activeSessions());
        loops.advance(Duration.ofMillis(1));
        RoomEvent.MemberLeft left = b.takeEvent(RoomEvent.MemberLeft.class);
        assertEquals(a.session.id(), left.memberId());
        assertEquals("timeout", left.reason());
        assertEquals(1, core.sessions().activeSessions());
    }

    @Test
    void aResumeWithinTheGraceWindowReplaysWhatWasMissedAndUsesTheTokenUp() {
        RecordingConnection a = connection("a");
        RecordingConnection b = connection("b");
        ServerMessage.Welcome first = open(a, "Ann", 0);
        open(b, "Bob", 1);
        String roomId = roomOf(a, b);
        a.session.connectionClosed(a);
        b.takeEvent(RoomEvent.MemberReconnecting.class);
        send(b, new ClientMessage.SendChat("s", roomId, "m", "while you were away", null));
        b.take(ServerMessage.ChatAck.class);
        b.takeEvent(RoomEvent.ChatPosted.class);
        loops.advance(GRACE.minusMillis(1));

        RecordingConnection a2 = connection("a2");
        ServerMessage.Welcome resumed = resume(a2, first.resumeToken(), 1, 0);
        assertTrue(resumed.resumed());
        assertEquals(2, resumed.lastSeq());
        assertFalse(first.resumeToken().equals(resumed.resumeToken()), "a new token at every resume");
        ServerMessage.EventFrame missed = a2.take(ServerMessage.EventFrame.class);
        assertEquals(2, missed.seq());
        assertEquals("while you were away", ((RoomEvent.ChatPosted) missed.event()).message().text());
        assertEquals(a2.session.id(), b.takeEvent(RoomEvent.MemberBack.class).memberId());
        loops.advance(GRACE);
        b.assertEmpty();
        a2.assertEmpty();

        RecordingConnection again = connection("again");
        core.sessions().hello(again, loops.get(1), new ClientMessage.Hello("x", settings.maxProtocolVersion(), null,
                new ClientMessage.Resume(first.resumeToken(), 2)));
        assertEquals("resume_failed", again.take(ServerMessage.Error.class).code());
    }

    @Test
    void aNewerConnectionResumingTakesTheSessionOverAndTheOlderIsToldWhy() {
        RecordingConnection a = connection("a");
        ServerMessage.Welcome first = open(a, "Ann", 0);
        RecordingConnection a2 = connection("a2");
        resume(a2, first.resumeToken(), 0, 0);
        loops.run();
        assertEquals(Session.REPLACED, a.closedWith);
        send(a, new ClientMessage.Ping("late"));
        a.assertEmpty();
        send(a2, new ClientMessage.Ping("p"));
        assertEquals("p", a2.take(ServerMessage.Pong.class).requestId());
    }
}
