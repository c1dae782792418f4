package io.presence.signaling.transport;

import io.presence.signaling.client.ClientOptions.Transport;
import io.presence.signaling.client.ClientSession;
import io.presence.signaling.protocol.ClientMessage;
import io.presence.signaling.protocol.ServerMessage;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sustained rate-limit offenders are closed with {@code rate_limited}; a client that bursted once is not. */
class RateLimitTest extends LoopbackServerTest {
    static final int RATE = 20;
    static final int BURST = 10;
    static final Duration CLOSE_AFTER = Duration.ofSeconds(2);

    private TestServer start() {
        return new TestServer(TestServer.settings().messageRate(RATE, BURST).rateLimitCloseAfter(CLOSE_AFTER).build());
    }

    /** Twice the rate in small, evenly spaced writes: every other request still succeeds, and yet it is closed. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void steadyTwiceTheRateIsClosedWithRateLimitedWithinSeconds(Transport transport) throws Exception {
        ts = start();
        ClientSession c = ts.session(transport, "steady");
        String room = c.createRoom();
        long start = System.nanoTime();
        long deadline = start + Duration.ofSeconds(15).toNanos();
        int sent = 0;
        // Paced by the clock (a late wake-up is made up for), one or two requests per write: twice the rate on
        // average however busy the machine, and never a burst.
        while (c.isConnected() && System.nanoTime() < deadline) {
            long due = (System.nanoTime() - start) * 2 * RATE / 1_000_000_000L;
            while (sent < due) {
                c.send(new ClientMessage.Typing(null, room, sent++ % 2 == 0));
            }
            Thread.sleep(5);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        assertFalse(c.isConnected(), "still open after " + seconds + " s and " + sent + " requests");
        // Expected after BURST / RATE + CLOSE_AFTER = 2.5 s; generous for a busy machine.
        assertTrue(seconds < 8, "closed only after " + seconds + " s");
        assertTrue(seconds > CLOSE_AFTER.toMillis() / 1000.0, "closed already after " + seconds + " s");
        ServerMessage.Closing closing = null;
        for (ServerMessage m; closing == null && (m = c.nextUnsolicited(Duration.ofMillis(500))) != null; ) {
            if (m instanceof ServerMessage.Closing cl) {
                closing = cl;
            } else {
                assertEquals("message_rate", assertInstanceOf(ServerMessage.Error.class, m).limit());
            }
        }
        assertNotNull(closing, "no closing frame");
        assertEquals("rate_limited", closing.reason());
        String tag = transport == Transport.WS ? "ws" : "tcp";
        Await.until(T, () -> ts.counter("presence.connections.closed", "transport", tag, "reason", "rate_limited") == 1,
                "the close counted with its reason");
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void oneBurstThenWithinTheRateIsRefusedInPartButNotClosed(Transport transport) throws Exception {
        ts = start();
        ClientSession c = ts.session(transport, "bursty");
        String room = c.createRoom();
        List<CompletableFuture<ServerMessage>> burst = new ArrayList<>();
        for (int i = 0; i < 3 * BURST; i++) {
            burst.add(c.request(new ClientMessage.Typing(c.nextRequestId(), room, true)));
        }
        int refused = 0;
        for (CompletableFuture<ServerMessage> r : burst) {
            if (ClientSession.await(r, T) instanceof ServerMessage.Error e) {
                assertEquals("message_rate", e.limit());
                refused++;
            }
        }
        assertTrue(refused >= BURST, "the burst was refused in part: " + refused);
        long until = System.nanoTime() + 2 * CLOSE_AFTER.toNanos();
        while (System.nanoTime() < until) {
            Thread.sleep(1000 / (RATE / 2));
            c.typing(room, false);
        }
        assertTrue(c.isConnected());
        assertInstanceOf(ServerMessage.ChatAck.class, c.chat(room, "m", "still here"));
        assertEquals(0.0, ts.counter("presence.connections.closed", "transport", transport == Transport.WS ? "ws"
                : "tcp", "reason", "rate_limited"));
    }
}
