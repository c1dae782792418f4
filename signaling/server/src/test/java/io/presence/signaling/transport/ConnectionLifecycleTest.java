package io.presence.signaling.transport;

import io.presence.signaling.client.ClientOptions;
import io.presence.signaling.client.ClientOptions.Transport;
import io.presence.signaling.client.ClientSession;
import io.presence.signaling.protocol.ClientMessage;
import io.presence.signaling.protocol.RoomEvent;
import io.presence.signaling.protocol.ServerMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.InputStream;
import java.net.Socket;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConnectionLifecycleTest extends LoopbackServerTest {
    /** A peer that stops answering (a half-open socket looks exactly like this) is dropped in 2 intervals + grace. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void silentPeerIsDeclaredDeadWithinTwoIntervalsPlusGrace(Transport transport) throws InterruptedException {
        Duration interval = Duration.ofMillis(250);
        Duration grace = Duration.ofMillis(100);
        ts = new TestServer(TestServer.settings().ping(interval, grace).resumeGrace(Duration.ofSeconds(10)).build());
        ClientSession alice = ts.session(Transport.TCP, "alice");
        RawPeer silent = RawPeer.open(ts.options(transport));
        ServerMessage.Welcome first = assertInstanceOf(ServerMessage.Welcome.class, silent.request(
                new ClientMessage.Hello("h", 1, new ClientMessage.Credentials("dev", "silent", null, null), null), T));
        String room = alice.createRoom();
        assertInstanceOf(ServerMessage.RoomJoined.class, silent.request(new ClientMessage.JoinRoom("j", room), T));
        alice.awaitEvent(RoomEvent.MemberJoined.class, T);

        long start = System.nanoTime();
        assertTrue(silent.awaitClose(T), "server closed the silent connection");
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        silent.close();
        long limitMs = interval.multipliedBy(2).plus(grace).toMillis();
        // The silence started before `start` (at the join), so only scheduling delay on a busy machine adds to it.
        assertTrue(tookMs <= limitMs + 500, "closed after " + tookMs + " ms, limit " + limitMs);
        assertTrue(silent.pings() >= 1, "server pinged");
        assertNotNull(alice.awaitEvent(RoomEvent.MemberReconnecting.class, T));
        // alice answers pings, so she is still connected after the same time
        assertTrue(alice.isConnected());
        assertEquals(1.0, ts.counter("presence.connections.closed", "transport", transport.name().toLowerCase(),
                "reason", "keepalive_timeout"));
        // the session survives: resume with pongs on
        ServerMessage.Welcome w = (ServerMessage.Welcome) ClientSession.expect(ts.client(transport).request(
                new ClientMessage.Hello("r", 1, null, new ClientMessage.Resume(first.resumeToken(), silent.lastSeq()))));
        assertTrue(w.resumed());
        assertNotNull(alice.awaitEvent(RoomEvent.MemberBack.class, T));
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void connectionWithoutHelloIsClosedAfterTheDeadlineWithAReason(Transport transport) {
        ts = new TestServer(TestServer.settings().helloTimeout(Duration.ofMillis(200)).build());
        ClientSession c = ts.client(transport);
        ServerMessage first = c.nextUnsolicited(T);
        ServerMessage.Error e = assertInstanceOf(ServerMessage.Error.class, first);
        assertEquals("hello_timeout", e.code());
        ServerMessage closing = c.nextUnsolicited(T);
        assertEquals("hello_timeout", assertInstanceOf(ServerMessage.Closing.class, closing).reason());
        assertTrue(c.awaitDisconnect(T));
        assertEquals(1.0, ts.counter("presence.handshake.failures", "reason", "hello_timeout"));
    }

    @Test
    void devAuthIsOffByDefault() {
        ts = new TestServer(TestServer.settings().devAuthEnabled(false).build());
        ClientSession c = ts.client(Transport.TCP);
        ServerMessage.Error e = (ServerMessage.Error) ClientSession.await(c.request(new ClientMessage.Hello("h", 1,
                new ClientMessage.Credentials("dev", "eve", null, null), null)), T);
        assertEquals("auth_failed", e.code());
        assertEquals(false, io.presence.signaling.session.SignalingSettings.defaults().devAuthEnabled());
    }

    @Test
    void webSocketOriginAllowList() {
        ts = new TestServer(TestServer.settings().allowedOrigins(java.util.List.of("https://app.example")).build());
        ClientOptions ws = ts.options(Transport.WS);
        assertThrows(IllegalStateException.class, () -> ts.client(ws.withOrigin("https://evil.example")));
        ClientSession ok = ts.client(ws.withOrigin("https://app.example"));
        ok.hello("browser");
        ClientSession nativeClient = ts.client(ws); // no Origin header
        nativeClient.hello("native");
        assertEquals(1.0, ts.counter("presence.handshake.failures", "reason", "origin_refused"));
    }

    @Test
    void sameOriginIsAllowedWhenNoListIsConfigured() {
        ts = TestServer.start();
        ClientOptions ws = ts.options(Transport.WS);
        String self = "http://127.0.0.1:" + ts.server.webSocketAddress().getPort();
        ts.client(ws.withOrigin(self)).hello("same-origin");
        assertThrows(IllegalStateException.class, () -> ts.client(ws.withOrigin("http://other.example")));
    }

    @Test
    void permessageDeflateIsNegotiable() {
        ts = TestServer.start();
        ClientSession c = ts.client(ts.options(Transport.WS).withDeflate(true));
        c.hello("compressed");
        String room = c.createRoom();
        c.chat(room, "z", "squeeze me ".repeat(100));
        assertEquals("squeeze me ".repeat(100),
                c.awaitEvent(RoomEvent.ChatPosted.class, T).message().text());
    }

    @Test
    void aQueryStringOnTheWebSocketPathIsAccepted() {
        ts = TestServer.start();
        ClientOptions ws = ts.options(Transport.WS);
        ClientSession c = ts.client(ws.withWsPath("/ws?client=test"));
        c.hello("query");
        assertThrows(IllegalStateException.class, () -> ts.client(ws.withWsPath("/ws/deeper")));
    }

    @Test
    void aSecondSessionOfTheSameUserKeepsTheFirstUnlessConfigured() {
        ts = TestServer.start();
        ClientSession first = ts.session(Transport.TCP, "twin");
        ClientSession second = ts.session(Transport.TCP, "twin");
        first.createRoom();
        second.createRoom();
        ts.close();

        ts = new TestServer(TestServer.settings().singleSessionPerUser(true).build());
        ClientSession old = ts.session(Transport.TCP, "solo");
        ClientSession other = ts.session(Transport.WS, "someone else");
        String room = old.createRoom();
        other.join(room);
        ClientSession fresh = ts.session(Transport.WS, "solo");
        ServerMessage.Closing closing = assertInstanceOf(ServerMessage.Closing.class, old.nextUnsolicited(T));
        assertEquals("replaced", closing.reason());
        assertTrue(old.awaitDisconnect(T));
        assertEquals("ended", other.awaitEvent(RoomEvent.MemberLeft.class, T).reason());
        fresh.createRoom();
        assertEquals(2, ts.server.activeSessions());
    }

    @Test
    void otherHttpPathsGet404() throws Exception {
        ts = TestServer.start();
        try (Socket s = new Socket("127.0.0.1", ts.server.webSocketAddress().getPort())) {
            s.getOutputStream().write("GET /nope HTTP/1.1\r\nHost: x\r\n\r\n".getBytes());
            InputStream in = s.getInputStream();
            String status = new String(in.readNBytes(12));
            assertEquals("HTTP/1.1 404", status);
        }
    }

    @Test
    void drainRefusesNewSessionsAndTellsConnections() {
        ts = TestServer.start();
        ClientSession old = ts.session(Transport.TCP, "old");
        ClientSession fresh = ts.client(Transport.WS);
        ts.server.drain();
        ServerMessage.Closing notice = assertInstanceOf(ServerMessage.Closing.class, old.nextUnsolicited(T));
        assertEquals("server_going_away", notice.reason());
        assertTrue(old.isConnected(), "existing connections stay until close");
        ServerMessage.Error e = (ServerMessage.Error) ClientSession.await(fresh.request(new ClientMessage.Hello("h",
                1, new ClientMessage.Credentials("dev", "late", null, null), null)), T);
        assertEquals("server_draining", e.code());
        assertThrows(IllegalStateException.class, () -> ts.client(Transport.TCP), "listener closed");
        assertTrue(ts.server.isDraining());
    }

    @Test
    void closeEndsEverythingAndIsIdempotent() {
        ts = TestServer.start();
        ClientSession a = ts.session(Transport.TCP, "a");
        ClientSession b = ts.session(Transport.WS, "b");
        String room = a.createRoom();
        b.join(room);
        ts.server.close();
        assertTrue(a.awaitDisconnect(T));
        assertTrue(b.awaitDisconnect(T));
        assertEquals(0, ts.server.activeSessions());
        assertEquals(0, ts.server.openConnections());
        Await.until(T, () -> ts.server.activeRooms() == 0, "rooms gone");
        ts.server.close();
        assertThrows(IllegalStateException.class, ts.server::start, "a closed server does not restart");
        assertTrue(ts.registry.find("presence.connections.opened").meters().isEmpty(), "meters removed");
    }

    @Test
    void closeWithoutStartIsHarmless() {
        io.presence.net.NetStack net = io.presence.net.NetStack.create(1, true);
        try {
            SignalingServer never = TestServer.build(TestServer.settings().build(), net,
                    new io.micrometer.core.instrument.simple.SimpleMeterRegistry(), null,
                    io.presence.signaling.room.LiveServices.standalone(), SignalingServer.DEFAULT_CONNECTION_LIMITS);
            never.close();
            never.close();
            assertEquals(null, never.tcpAddress());
        } finally {
            net.shutdown(Duration.ofSeconds(5));
        }
    }

    @Test
    void startStopCyclesLeaveNoThreadsBehind() {
        int before = Thread.activeCount();
        for (int i = 0; i < 4; i++) {
            try (TestServer cycle = TestServer.start()) {
                ClientSession c = cycle.session(i % 2 == 0 ? Transport.TCP : Transport.WS, "cycle" + i);
                c.createRoom();
            }
        }
        Await.until(T, () -> Thread.activeCount() <= before + 1, "threads back to " + before
                + " (now " + Thread.activeCount() + ")");
    }
}
