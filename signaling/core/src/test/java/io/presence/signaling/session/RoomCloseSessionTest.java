package io.presence.signaling.session;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.presence.signaling.core.SignalingCore;
import io.presence.signaling.protocol.ClientMessage;
import io.presence.signaling.protocol.RoomEvent;
import io.presence.signaling.protocol.ServerMessage;
import io.presence.signaling.runtime.ManualLoops;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code room.close} through sessions: the other member's session forgets the room (it no longer counts against
 * its room limit, and requests about it find no room), and the room's id is gone for everyone.
 */
class RoomCloseSessionTest {
    final ManualLoops loops = new ManualLoops(1);
    final SignalingSettings settings = SignalingSettings.builder().devAuthEnabled(true).roomsPerSession(1).build();
    final SignalingCore core = SignalingCore.builder(settings).loops(loops).time(loops.time())
            .meters(new SimpleMeterRegistry()).build();

    RecordingConnection open(String name) {
        RecordingConnection c = new RecordingConnection(name, loops::run);
        core.sessions().hello(c, loops.get(0), new ClientMessage.Hello("h", settings.maxProtocolVersion(),
                new ClientMessage.Credentials("dev", name, null, null), null));
        c.take(ServerMessage.Welcome.class);
        return c;
    }

    @Test
    void theOtherMembersSessionsForgetAClosedRoom() {
        RecordingConnection ann = open("Ann");
        RecordingConnection bob = open("Bob");
        ann.session.request(ann, new ClientMessage.CreateRoom("c", null));
        String room = ann.take(ServerMessage.RoomJoined.class).roomId();
        bob.session.request(bob, new ClientMessage.JoinRoom("j", room));
        bob.take(ServerMessage.RoomJoined.class);
        ann.drain();

        bob.session.request(bob, new ClientMessage.CreateRoom("c2", null));
        assertEquals("limit_exceeded", bob.take(ServerMessage.Error.class).code(), "bob is in one room already");

        ann.session.request(ann, new ClientMessage.CloseRoom("x", room));
        assertEquals("x", ann.take(ServerMessage.Ok.class).requestId());
        assertEquals(new RoomEvent.RoomClosed(room, "dev:Ann"), bob.takeEvent(RoomEvent.RoomClosed.class));
        ann.assertEmpty();

        bob.session.request(bob, new ClientMessage.SendChat("s", room, "m", "hello?", null));
        assertEquals("unknown_room", bob.take(ServerMessage.Error.class).code());
        bob.session.request(bob, new ClientMessage.CreateRoom("c3", null));
        bob.take(ServerMessage.RoomJoined.class); // the closed room no longer counts
        ann.session.request(ann, new ClientMessage.JoinRoom("j2", room));
        assertEquals("unknown_room", ann.take(ServerMessage.Error.class).code());
        assertEquals(1, core.rooms().size(), "only bob's new room is loaded");
        core.close();
    }
}
