package io.presence.signaling.transport;

import io.presence.signaling.client.ClientOptions.Transport;
import io.presence.signaling.client.ClientSession;
import io.presence.signaling.protocol.ClientMessage;
import io.presence.signaling.protocol.ProtocolJson;
import io.presence.signaling.protocol.ServerMessage;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Random and mutated frames thrown at live sessions on both transports: the server answers, keeps every
 * connection usable, and its state stays consistent. Bounded: a few hundred frames per transport.
 */
class SessionFuzzTest {
    static final int FRAMES = 400;
    static final Duration T = Duration.ofSeconds(5);

    @Test
    void liveSessionsSurviveGarbage() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        ProtocolJson json = new ProtocolJson();
        try (TestServer ts = new TestServer(TestServer.settings().maxFrameBytes(1024).build())) {
            for (Transport transport : Transport.values()) {
                ClientSession victim = ts.session(transport, "victim-" + transport);
                ClientSession witness = ts.session(Transport.TCP, "witness-" + transport);
                String room = victim.createRoom();
                witness.join(room);
                List<ClientMessage> valid = List.of(
                        new ClientMessage.SendChat("a", room, "x", "hello", null),
                        new ClientMessage.Typing("b", room, true),
                        new ClientMessage.GetHistory("c", room, null, 3),
                        new ClientMessage.JoinRoom("d", room),
                        new ClientMessage.Ping("e"));
                for (int i = 0; i < FRAMES; i++) {
                    byte[] frame = json.encode(valid.get(random.nextInt(valid.size())));
                    int edits = random.nextInt(4);
                    for (int e = 0; e < edits; e++) {
                        frame[random.nextInt(frame.length)] = (byte) (32 + random.nextInt(95));
                    }
                    String text = new String(frame, StandardCharsets.UTF_8);
                    if (random.nextInt(20) == 0) {
                        text = text + "x".repeat(1100);
                    }
                    victim.sendRaw(text);
                }
                ServerMessage pong = ClientSession.await(victim.request(new ClientMessage.Ping("alive")), T);
                assertEquals(new ServerMessage.Pong("alive"), pong, "seed " + seed);
                // the session still works end to end, and the witness saw nothing out of order
                long id = victim.chat(room, "after-fuzz-" + transport, "still fine").messageId();
                assertTrue(id > 0);
                assertEquals(0, witness.gaps(), "seed " + seed);
                assertEquals(0, witness.duplicates(), "seed " + seed);
                assertEquals(0, victim.undecodableFrames(), "the server only sends valid frames; seed " + seed);
                assertTrue(victim.isConnected(), "seed " + seed);
            }
            assertTrue(ts.counter("presence.messages.in", "type", "invalid") > 0);
        }
    }
}
