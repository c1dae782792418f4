package io.presence.stun.server;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.presence.net.ConnectionLimits;
import io.presence.net.NetStack;
import io.presence.net.Refusals;
import io.presence.stun.MessageClass;
import io.presence.stun.Method;
import io.presence.stun.StunMessage;
import io.presence.stun.StunMessageWriter;
import io.presence.stun.TransactionId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TCP connections that are not used for STUN give their descriptors back: caps at accept, a deadline for the first
 * message and for each frame, and an idle timeout that is long only once a TURN request has been authenticated.
 * Deadlines here are short and the waits for them generous (each wait ends as soon as the socket closes).
 */
@Timeout(60)
class StreamFloodTest {
    private static final Duration SHORT = Duration.ofMillis(300);
    /** Far longer than any wait here: a connection closed before it was closed by something else. */
    private static final Duration LONG = Duration.ofSeconds(60);
    private static NetStack net;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<Socket> sockets = new ArrayList<>();
    private StunServer server;

    @BeforeAll
    static void net() {
        net = NetStack.create(2, true);
    }

    @AfterAll
    static void shutdown() {
        net.shutdown(Duration.ofSeconds(2));
    }

    @AfterEach
    void close() throws IOException {
        for (Socket s : sockets) {
            s.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private StunServer start(StunSettings settings, StunExtension extension) {
        server = new StunServer(settings, net, new StunMetrics(registry), extension).start();
        return server;
    }

    private Socket connect() throws IOException {
        Socket s = new Socket();
        s.connect(server.tcpAddress(), 2000);
        s.setSoTimeout(10_000);
        sockets.add(s);
        return s;
    }

    private static boolean binds(Socket s) throws Exception {
        s.getOutputStream().write(StunServerTest.bindingRequest(false));
        byte[] r = StunServerTest.readFrame(s.getInputStream());
        return decode(r).is(Method.BINDING, MessageClass.SUCCESS_RESPONSE);
    }

    private static StunMessage decode(byte[] r) {
        try {
            return StunMessage.decode(r, 0, r.length);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }



    private double timeouts(String reason) {
        return registry.get("stun.stream.timeouts").tag("reason", reason).counter().count();
    }

    @Test
    void connectionsOverThePerSourceCapAreResetAtOnceWhileEarlierOnesAreServed() throws Exception {
        start(StunSettings.loopbackEphemeral().withConnections(new ConnectionLimits(100, 3)), StunExtension.NONE);
        List<Socket> admitted = List.of(connect(), connect(), connect());
        for (Socket s : admitted) {
            assertTrue(binds(s));
        }
        for (int i = 0; i < 3; i++) {
            assertTrue(Refusals.refusedAtOnce(server.tcpAddress(), null, Duration.ofSeconds(2), sockets), "connection over the cap is closed at once");
        }
        assertEquals(3.0, registry.get("presence.connections.refused").tag("listener", "stun")
                .tag("reason", "per_source").counter().count());
        for (Socket s : admitted) {
            assertTrue(binds(s), "admitted connections are still served");
        }
        assertEquals(3, server.connectionGate().open());
    }

    @Test
    void aConnectionThatSendsNothingOrHalfAFrameIsClosedAfterTheFirstMessageDeadline() throws Exception {
        start(StunSettings.loopbackEphemeral().withTimeouts(SHORT, LONG, LONG), StunExtension.NONE);
        Socket silent = connect();
        Socket half = connect();
        half.getOutputStream().write(Arrays.copyOf(StunServerTest.bindingRequest(false), 12));
        assertTrue(Refusals.closedByServer(silent), "silent connection closed");
        assertTrue(Refusals.closedByServer(half), "half a first message: closed");
        assertEquals(2.0, timeouts("first_message"));
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (server.connectionGate().open() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(0, server.connectionGate().open(), "both places given back");
    }

    @Test
    void bytesTricklingInDoNotKeepAnIncompleteFrameAlive() throws Exception {
        start(StunSettings.loopbackEphemeral().withTimeouts(SHORT, LONG, LONG), StunExtension.NONE);
        Socket s = connect();
        assertTrue(binds(s));
        byte[] next = StunServerTest.bindingRequest(false);
        long started = System.nanoTime();
        boolean closed = false;
        // One byte every 50 ms: the frame would need a second; its deadline is 300 ms after its first byte.
        for (int i = 0; i < next.length - 1 && !closed; i++) {
            try {
                s.getOutputStream().write(next[i]);
                Thread.sleep(50);
            } catch (SocketException e) {
                closed = true;
            }
        }
        assertTrue(Refusals.closedByServer(s));
        assertEquals(1.0, timeouts("partial_frame"));
        assertTrue(System.nanoTime() - started < LONG.toNanos());
    }

    @Test
    void idleTimeoutIsShortUntilATurnRequestIsAuthenticatedThenLong() throws Exception {
        // Stands in for the relay: answers Allocate with success, as TURN does once the credentials checked out.
        StunExtension turn = new StunExtension() {
            @Override
            public boolean onMessage(StunPeer peer, StunMessage message) {
                ByteBuf out = peer.alloc().buffer();
                StunMessageWriter.response(out, message, true).finish();
                peer.send(out);
                return true;
            }
        };
        start(StunSettings.loopbackEphemeral().withTimeouts(LONG, SHORT, LONG), turn);
        // Authenticated by its first message, so no pause of a loaded machine can make it idle before that.
        Socket authenticated = connect();
        authenticated.getOutputStream().write(request(Method.ALLOCATE));
        assertTrue(decode(StunServerTest.readFrame(authenticated.getInputStream()))
                .is(Method.ALLOCATE, MessageClass.SUCCESS_RESPONSE));
        Socket binding = connect();
        assertTrue(binds(binding));
        assertTrue(Refusals.closedByServer(binding), "a Binding-only connection closes after the short idle timeout");
        assertEquals(1.0, timeouts("idle"));
        // The other one has been idle as long and more: it is still served.
        assertTrue(binds(authenticated), "after an authenticated request the long idle timeout applies");
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (server.connectionGate().open() > 1 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(1, server.connectionGate().open());
    }

    @Test
    void onlyASuccessResponseToATurnRequestCountsAsAuthenticated() {
        assertTrue(StreamDeadlines.isTurnSuccess(response(Method.ALLOCATE, MessageClass.SUCCESS_RESPONSE)));
        assertTrue(StreamDeadlines.isTurnSuccess(response(Method.REFRESH, MessageClass.SUCCESS_RESPONSE)));
        assertFalse(StreamDeadlines.isTurnSuccess(response(Method.ALLOCATE, MessageClass.ERROR_RESPONSE)));
        assertFalse(StreamDeadlines.isTurnSuccess(response(Method.BINDING, MessageClass.SUCCESS_RESPONSE)));
        assertFalse(StreamDeadlines.isTurnSuccess(response(Method.DATA, MessageClass.INDICATION)));
        assertFalse(StreamDeadlines.isTurnSuccess(Unpooled.wrappedBuffer(new byte[] {0x40, 0, 0, 4, 1, 2, 3, 4})),
                "ChannelData");
    }

    @Test
    void udpBindingStillAnswersWithTheTcpCapReached() throws Exception {
        start(StunSettings.loopbackEphemeral().withConnections(new ConnectionLimits(2, 2)), StunExtension.NONE);
        assertTrue(binds(connect()));
        assertTrue(binds(connect()));
        assertTrue(Refusals.refusedAtOnce(server.tcpAddress(), null, Duration.ofSeconds(2), sockets));
        try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            udp.setSoTimeout(5000);
            byte[] r = StunServerTest.udpExchange(udp, server.udpAddress(), StunServerTest.bindingRequest(false));
            assertTrue(decode(r).is(Method.BINDING, MessageClass.SUCCESS_RESPONSE));
        }
    }

    private static byte[] request(int method) {
        ByteBuf out = Unpooled.buffer();
        StunMessageWriter.begin(out, method, MessageClass.REQUEST, TransactionId.random()).finish();
        byte[] b = new byte[out.readableBytes()];
        out.readBytes(b);
        out.release();
        return b;
    }

    private static ByteBuf response(int method, MessageClass cls) {
        ByteBuf out = Unpooled.buffer();
        StunMessageWriter.begin(out, method, cls, TransactionId.random()).finish();
        return out;
    }
}
