package io.presence.signaling.transport;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.presence.net.ConnectionLimits;
import io.presence.net.NetStack;
import io.presence.net.Refusals;
import io.presence.signaling.room.LiveServices;
import io.presence.signaling.session.SignalingSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The signaling listeners before {@code hello}: caps at accept across WebSocket and TCP, and a fixed deadline for the
 * WebSocket upgrade and for hello. Waits end as soon as the socket closes; their bounds are generous.
 */
@Timeout(60)
class SignalingFloodTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final NetStack net = NetStack.create(2, true);
    private final List<Socket> sockets = new ArrayList<>();
    private SignalingServer server;

    @AfterEach
    void close() throws IOException {
        for (Socket s : sockets) {
            s.close();
        }
        if (server != null) {
            server.close();
        }
        net.shutdown(Duration.ofSeconds(5));
    }

    private void start(Duration helloTimeout, ConnectionLimits limits) {
        SignalingSettings settings = TestServer.settings().helloTimeout(helloTimeout).build();
        server = TestServer.build(settings, net, registry, null, LiveServices.standalone(), limits);
        server.start();
    }

    private Socket connect(InetSocketAddress to) throws IOException {
        Socket s = new Socket();
        s.connect(to, 2000);
        s.setSoTimeout(10_000);
        sockets.add(s);
        return s;
    }



    private static String pingPong(Socket tcp, BufferedReader in) throws IOException {
        tcp.getOutputStream().write("{\"type\":\"ping\",\"requestId\":\"p\"}\n".getBytes(StandardCharsets.UTF_8));
        return in.readLine();
    }

    private double refused(String reason) {
        return registry.get("presence.connections.refused").tag("listener", "signaling").tag("reason", reason)
                .counter().count();
    }

    @Test
    void connectionsOverThePerSourceCapAreResetAtOnceAndEarlierOnesAreServed() throws Exception {
        start(Duration.ofSeconds(30), new ConnectionLimits(100, 3));
        List<Socket> admitted = new ArrayList<>();
        List<BufferedReader> readers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Socket s = connect(server.tcpAddress());
            admitted.add(s);
            readers.add(new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)));
            assertTrue(pingPong(s, readers.get(i)).contains("\"pong\""));
        }
        assertTrue(Refusals.refusedAtOnce(server.webSocketAddress(), null, Duration.ofSeconds(2), sockets), "the cap holds across the WebSocket and TCP listeners");
        assertTrue(Refusals.refusedAtOnce(server.tcpAddress(), null, Duration.ofSeconds(2), sockets));
        assertEquals(2.0, refused("per_source"));
        for (int i = 0; i < 3; i++) {
            assertTrue(pingPong(admitted.get(i), readers.get(i)).contains("\"pong\""), "still served");
        }
    }

    @Test
    void theTotalCapCountsWebSocketConnectionsBeforeTheUpgrade() throws Exception {
        start(Duration.ofSeconds(30), new ConnectionLimits(2, 100));
        connect(server.webSocketAddress());
        connect(server.tcpAddress());
        assertTrue(Refusals.refusedAtOnce(server.tcpAddress(), null, Duration.ofSeconds(2), sockets));
        assertEquals(1.0, refused("total"));
    }

    @Test
    void aWebSocketUpgradeTrickledInIsClosedAtTheDeadline() throws Exception {
        start(Duration.ofMillis(300), new ConnectionLimits(100, 100));
        Socket s = connect(server.webSocketAddress());
        OutputStream out = s.getOutputStream();
        byte[] request = ("GET /ws HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        boolean closed = false;
        // One byte every 50 ms keeps an idle timer alive for the whole request (about 7 s); the deadline is 300 ms.
        for (int i = 0; i < request.length - 2 && !closed; i++) {
            try {
                out.write(request[i]);
                out.flush();
                Thread.sleep(50);
            } catch (SocketException e) {
                closed = true;
            }
        }
        assertTrue(closed, "closed while the request was still trickling in");
        assertTrue(Refusals.closedByServer(s));
        assertEquals(1.0, registry.get("presence.handshake.failures").tag("reason", "upgrade_timeout").counter().count());
    }

    @Test
    void aTcpConnectionThatNeverSendsHelloIsClosedAtTheDeadline() throws Exception {
        start(Duration.ofMillis(300), new ConnectionLimits(100, 100));
        Socket s = connect(server.tcpAddress());
        s.getOutputStream().write("{\"type\":\"ping\",\"requestId\":\"p\"}\n{\"type\":".getBytes(StandardCharsets.UTF_8));
        assertTrue(Refusals.closedByServer(s));
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (server.connectionGate().open() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(0, server.connectionGate().open(), "its place is given back");
    }
}
