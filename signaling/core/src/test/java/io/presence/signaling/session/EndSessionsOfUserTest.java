package io.presence.signaling.session;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.presence.signaling.core.SignalingCore;
import io.presence.signaling.protocol.ClientMessage;
import io.presence.signaling.protocol.RoomEvent;
import io.presence.signaling.protocol.ServerMessage;
import io.presence.signaling.runtime.ManualLoops;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Ending every session of one user (the host-platform API's revoke): each of the user's sessions closes with reason
 * {@code revoked}, its resume token stops working, the rooms see it leave, and other users are untouched.
 */
class EndSessionsOfUserTest {
    final ManualLoops loops = new ManualLoops(1);
    final SignalingSettings settings = SignalingSettings.builder().devAuthEnabled(true).build();
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final SignalingCore core = SignalingCore.builder(settings).loops(loops).time(loops.time()).meters(registry)
            .build();

    ServerMessage.Welcome open(RecordingConnection c, String name) {
        core.sessions().hello(c, loops.get(0), new ClientMessage.Hello("h", settings.maxProtocolVersion(),
                new ClientMessage.Credentials("dev", name, null, null), null));
        return c.take(ServerMessage.Welcome.class);
    }

    @Test
    void everySessionOfTheUserEndsAndNoOtherOne() {
        RecordingConnection ann1 = new RecordingConnection("ann1", loops::run);
        RecordingConnection ann2 = new RecordingConnection("ann2", loops::run);
        RecordingConnection bob = new RecordingConnection("bob", loops::run);
        ServerMessage.Welcome first = open(ann1, "Ann");
        open(ann2, "Ann");
        open(bob, "Bob");
        bob.session.request(bob, new ClientMessage.CreateRoom("c", null));
        String room = bob.take(ServerMessage.RoomJoined.class).roomId();
        ann1.session.request(ann1, new ClientMessage.JoinRoom("j", room));
        ann1.take(ServerMessage.RoomJoined.class);
        bob.drain();

        assertEquals(2, core.sessions().revokeUser("dev:Ann", "revoked by the platform"));
        loops.run();

        assertEquals(Session.REVOKED, ann1.closedWith);
        assertEquals(Session.REVOKED, ann2.closedWith);
        assertNull(bob.closedWith);
        bob.takeEvent(RoomEvent.MemberLeft.class);
        assertEquals(1, core.sessions().activeSessions());
        assertEquals(2.0, registry.get("presence.sessions.ended").tag("reason", Session.REVOKED).counter()
                .count());

        RecordingConnection again = new RecordingConnection("again", loops::run);
        core.sessions().hello(again, loops.get(0), new ClientMessage.Hello("r", settings.maxProtocolVersion(), null,
                new ClientMessage.Resume(first.resumeToken(), 0)));
        assertEquals("resume_failed", again.take(ServerMessage.Error.class).code());
        assertEquals(0, core.sessions().revokeUser("dev:Nobody", "x"));
        core.close();
    }
}
