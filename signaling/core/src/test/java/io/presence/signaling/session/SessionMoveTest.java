package io.presence.signaling.session;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.presence.signaling.core.SignalingCore;
import io.presence.signaling.protocol.ClientMessage;
import io.presence.signaling.protocol.RoomEvent;
import io.presence.signaling.protocol.ServerMessage;
import io.presence.signaling.runtime.ManualLoop;
import io.presence.signaling.runtime.ManualLoops;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A session resumed on a connection of another loop moves there, and nobody sees a difference in order: under many
 * interleavings of the three loops' queues, the resumed connection gets a gap-free event stream and its responses
 * in request order, the room's events keep their order, and afterwards the session runs on the new loop.
 */
class SessionMoveTest {
    static final int CHATS = 6;

    @Test
    void aResumeOntoAnotherLoopKeepsEveryOrder() {
        for (int seed = 0; seed < 300; seed++) {
            resumeOntoAnotherLoop(new Random(seed), seed);
        }
    }

    private void resumeOntoAnotherLoop(Random random, int seed) {
        ManualLoops loops = new ManualLoops(3);
        SignalingSettings settings = SignalingSettings.builder().devAuthEnabled(true).messageRate(1000, 1000).build();
        SignalingCore core = SignalingCore.builder(settings).loops(loops).time(loops.time())
                .meters(new SimpleMeterRegistry()).build();
        RecordingConnection a = new RecordingConnection("a", loops::run);
        RecordingConnection b = new RecordingConnection("b", loops::run);
        ServerMessage.Welcome welcome = hello(core, settings, a, loops.get(0), "Ann");
        hello(core, settings, b, loops.get(2), "Bob");
        // The room lives on b's loop: its events reach a across loops, the case the move must keep in order.
        b.session.request(b, new ClientMessage.CreateRoom("c", null));
        String room = b.take(ServerMessage.RoomJoined.class).roomId();
        a.session.request(a, new ClientMessage.JoinRoom("j", room));
        a.take(ServerMessage.RoomJoined.class);
        b.session.request(b, new ClientMessage.SendChat("before", room, "before", "before", null));
        long lastSeq = a.take(ServerMessage.EventFrame.class).seq();
        Session session = a.session;
        session.connectionClosed(a);
        loops.run();
        b.drain();

        // The resumed connection lives on loop 1; like a server connection, it forwards the requests it held
        // behind the hello from its own loop once the welcome is out.
        ManualLoop connectionLoop = loops.get(1);
        RecordingConnection a2 = new RecordingConnection("a2", () -> { });
        a2.onOpened = s -> connectionLoop.execute(() -> {
            for (int i = 0; i < CHATS; i++) {
                s.request(a2, new ClientMessage.SendChat("a" + i, room, "ca" + i, "from a " + i, null));
            }
        });
        for (int i = 0; i < CHATS / 2; i++) {
            b.session.request(b, new ClientMessage.SendChat("b" + i, room, "cb" + i, "from b " + i, null));
        }
        core.sessions().hello(a2, connectionLoop, new ClientMessage.Hello("r", settings.maxProtocolVersion(), null,
                new ClientMessage.Resume(welcome.resumeToken(), lastSeq)));
        for (int i = CHATS / 2; i < CHATS; i++) {
            b.session.request(b, new ClientMessage.SendChat("b" + i, room, "cb" + i, "from b " + i, null));
        }
        loops.runInterleaved(random);

        String at = "seed " + seed;
        assertTrue(a2.take(ServerMessage.Welcome.class).resumed(), at);
        long seq = lastSeq;
        int acks = 0;
        List<String> seenByA = new ArrayList<>();
        for (Object o : a2.drain()) {
            if (o instanceof ServerMessage.EventFrame frame) {
                assertEquals(++seq, frame.seq(), at + ": gap-free, in order");
                if (frame.event() instanceof RoomEvent.ChatPosted posted) {
                    seenByA.add(posted.message().text());
                }
            } else if (o instanceof ServerMessage.ChatAck ack) {
                assertEquals("a" + acks++, ack.requestId(), at + ": responses in request order");
            }
        }
        assertEquals(CHATS, acks, at);
        List<String> seenByB = new ArrayList<>();
        for (Object o : b.drain()) {
            if (o instanceof ServerMessage.EventFrame frame && frame.event() instanceof RoomEvent.ChatPosted posted) {
                seenByB.add(posted.message().text());
            }
        }
        assertEquals(seenByB, seenByA, at + ": both see the room's one order");
        seenByB.remove("before");
        assertEquals(2 * CHATS, seenByA.size(), at);
        assertEquals(inOrder("from b "), filter(seenByA, "from b "), at);
        assertEquals(inOrder("from a "), filter(seenByA, "from a "), at);

        assertSame(connectionLoop, session.loop(), at + ": moved to the connection's loop");
        boolean[] owned = new boolean[1];
        connectionLoop.execute(() -> owned[0] = session.home().inLoop());
        loops.run();
        assertTrue(owned[0], at + ": its state lives there now");
        core.close();
    }

    private static ServerMessage.Welcome hello(SignalingCore core, SignalingSettings settings, RecordingConnection c,
                                               ManualLoop loop, String name) {
        core.sessions().hello(c, loop, new ClientMessage.Hello("h", settings.maxProtocolVersion(),
                new ClientMessage.Credentials("dev", name, null, null), null));
        return c.take(ServerMessage.Welcome.class);
    }

    private static List<String> inOrder(String prefix) {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < CHATS; i++) {
            texts.add(prefix + i);
        }
        return texts;
    }

    private static List<String> filter(List<String> texts, String prefix) {
        return texts.stream().filter(t -> t.startsWith(prefix)).toList();
    }
}
