package io.presence.signaling.client;

import io.presence.signaling.protocol.ClientMessage;
import io.presence.signaling.protocol.RoomEvent;
import io.presence.signaling.protocol.ServerMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClientSessionTest {
    private static final Duration T = Duration.ofSeconds(5);
    private static ClientRuntime runtime;
    private FakeServer server;

    @BeforeAll
    static void startRuntime() {
        runtime = ClientRuntime.create(1);
    }

    @AfterAll
    static void stopRuntime() {
        runtime.close();
    }

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    private ClientSession connect(ClientOptions.Transport transport) throws InterruptedException {
        server = FakeServer.start(transport);
        return SignalingClient.builder().options(server.options()).runtime(runtime).build().connect();
    }

    private static ServerMessage.EventFrame typing(long seq) {
        return new ServerMessage.EventFrame(seq, new RoomEvent.MemberTyping("room-1", "m" + seq, true));
    }

    @ParameterizedTest
    @EnumSource(ClientOptions.Transport.class)
    void helloOpensASessionAndRequestsGetTheResponseWithTheirId(ClientOptions.Transport transport)
            throws Exception {
        ClientSession session = connect(transport);
        ServerMessage.Welcome welcome = session.hello("ann");

        assertEquals("session-1", welcome.sessionId());
        assertEquals("session-1", session.sessionId());
        assertEquals("token-1", session.resumeToken());
        ClientMessage.Hello hello = server.next(ClientMessage.Hello.class);
        assertEquals(new ClientMessage.Credentials("dev", "ann", null, null), hello.auth());
        assertNull(hello.resume());

        CompletableFuture<ServerMessage> first = session.request(new ClientMessage.JoinRoom(session.nextRequestId(),
                "room-1"));
        CompletableFuture<ServerMessage> second = session.request(new ClientMessage.Ping(session.nextRequestId()));
        ClientMessage.JoinRoom join = server.next(ClientMessage.JoinRoom.class);
        ClientMessage.Ping ping = server.next(ClientMessage.Ping.class);
        server.send(new ServerMessage.Pong(ping.requestId()));
        server.send(new ServerMessage.RoomJoined(join.requestId(), "room-1", "m1", "member", false, List.of()));

        assertEquals(new ServerMessage.Pong(ping.requestId()), second.get(5, TimeUnit.SECONDS));
        assertEquals("room-1", assertInstanceOf(ServerMessage.RoomJoined.class, first.get(5, TimeUnit.SECONDS))
                .roomId());
    }

    @Test
    void anErrorFrameFailsATypedCallWithItsCode() throws Exception {
        ClientSession session = connect(ClientOptions.Transport.TCP);
        session.hello("ann");
        CompletableFuture<ServerMessage.RoomJoined> join = CompletableFuture.supplyAsync(() -> session.join("nope"));
        ClientMessage.JoinRoom sent = server.next(ClientMessage.JoinRoom.class);
        server.send(new ServerMessage.Error(sent.requestId(), "not_found", "no such room", null, null));

        ExecutionException e = assertThrows(ExecutionException.class, () -> join.get(5, TimeUnit.SECONDS));
        SignalingException refused = assertInstanceOf(SignalingException.class, e.getCause());
        assertEquals("not_found", refused.code());
        assertEquals(sent.requestId(), refused.error().requestId());
    }

    @Test
    void eventsArriveInSequenceOrderWithDuplicatesDroppedAndGapsCounted() throws Exception {
        ClientSession session = connect(ClientOptions.Transport.TCP);
        session.hello("ann");
        for (long seq : new long[]{1, 2, 2, 4}) {
            server.send(typing(seq));
        }
        assertEquals(1, session.nextEvent(T).seq());
        assertEquals(2, session.nextEvent(T).seq());
        assertEquals(4, session.nextEvent(T).seq());
        assertNull(session.nextEvent(Duration.ofMillis(100)));
        assertEquals(1, session.duplicates());
        assertEquals(1, session.gaps());
        assertEquals(4, session.lastSeq());
    }

    @Test
    void aListenerTakesEventsAndUnsolicitedMessagesInsteadOfTheQueues() throws Exception {
        ClientSession session = connect(ClientOptions.Transport.TCP);
        List<Long> seen = new ArrayList<>();
        CompletableFuture<ServerMessage> unsolicited = new CompletableFuture<>();
        session.onEvent(frame -> {
            synchronized (seen) {
                seen.add(frame.seq());
            }
        });
        session.onUnsolicited(unsolicited::complete);
        session.hello("ann");
        server.send(typing(1));
        server.send(typing(2));
        server.send(new ServerMessage.Closing("shutdown", "the server is stopping"));

        assertInstanceOf(ServerMessage.Closing.class, unsolicited.get(5, TimeUnit.SECONDS));
        synchronized (seen) {
            assertEquals(List.of(1L, 2L), seen);
        }
        assertNull(session.nextEvent(Duration.ofMillis(50)));
        assertNull(session.nextUnsolicited(Duration.ofMillis(50)));
    }

    @ParameterizedTest
    @EnumSource(ClientOptions.Transport.class)
    void serverPingsAreAnswered(ClientOptions.Transport transport) throws Exception {
        ClientSession session = connect(transport);
        session.hello("ann");
        server.send(ServerMessage.Ping.INSTANCE);
        assertNull(server.next(ClientMessage.Pong.class).requestId());
    }

    @Test
    void unsolicitedMessagesAreQueuedAndUndecodableFramesCounted() throws Exception {
        ClientSession session = connect(ClientOptions.Transport.TCP);
        session.hello("ann");
        server.sendText("{this is not a server message");
        server.send(new ServerMessage.Error(null, "rate_limited", "slow down", null, null));

        ServerMessage.Error error = assertInstanceOf(ServerMessage.Error.class, session.nextUnsolicited(T));
        assertEquals("rate_limited", error.code());
        assertEquals(1, session.undecodableFrames());
        assertTrue(session.isConnected());
    }

    @ParameterizedTest
    @EnumSource(ClientOptions.Transport.class)
    void resumePresentsTheTokenAndLastSequenceThenKeepsTheNewToken(ClientOptions.Transport transport)
            throws Exception {
        ClientSession session = connect(transport);
        session.hello("ann");
        server.next(ClientMessage.Hello.class);
        server.send(typing(1));
        server.send(typing(2));
        assertEquals(1, session.nextEvent(T).seq());
        assertEquals(2, session.nextEvent(T).seq());

        session.dropConnection();
        assertTrue(session.awaitDisconnect(T));
        assertFalse(session.isConnected());
        ServerMessage.Welcome back = session.resume();

        assertTrue(back.resumed());
        ClientMessage.Hello hello = server.next(ClientMessage.Hello.class);
        assertNull(hello.auth());
        assertEquals(new ClientMessage.Resume("token-1", 2), hello.resume());
        assertEquals("token-2", session.resumeToken(), "the server replaces the token at every resume");
        server.send(typing(3));
        assertEquals(3, session.nextEvent(T).seq());
        assertEquals(0, session.gaps());
    }

    @Test
    void resumeCanMoveTheSessionToAnotherTransport() throws Exception {
        ClientSession session = connect(ClientOptions.Transport.TCP);
        session.hello("ann");
        try (FakeServer ws = FakeServer.start(ClientOptions.Transport.WS)) {
            assertTrue(session.resume(ws.options()).resumed());
            assertEquals(new ClientMessage.Resume("token-1", 0), ws.next(ClientMessage.Hello.class).resume());
            assertTrue(session.awaitDisconnect(Duration.ofMillis(1)) || session.isConnected());
            ws.send(typing(1));
            assertEquals(1, session.nextEvent(T).seq());
        }
    }

    @Test
    void pendingRequestsFailWhenTheConnectionCloses() throws Exception {
        ClientSession session = connect(ClientOptions.Transport.TCP);
        session.hello("ann");
        CompletableFuture<ServerMessage> pending = session.request(new ClientMessage.Ping(session.nextRequestId()));
        server.next(ClientMessage.Ping.class);
        server.closeConnection();

        ExecutionException e = assertThrows(ExecutionException.class, () -> pending.get(5, TimeUnit.SECONDS));
        assertInstanceOf(IllegalStateException.class, e.getCause());
        assertTrue(session.awaitDisconnect(T));
        assertFalse(session.isConnected());
    }

    @Test
    void aRawFrameGoesOutAsItIs() throws Exception {
        ClientSession session = connect(ClientOptions.Transport.TCP);
        session.sendRaw("{\"type\":\"ping\",\"requestId\":\"raw-1\"}");
        assertEquals("raw-1", server.next(ClientMessage.Ping.class).requestId());
    }

    @Test
    void theWebSocketHandshakeCarriesAnOriginOnlyWhenOneIsSet() throws Exception {
        ClientSession plain = connect(ClientOptions.Transport.WS);
        assertEquals("", server.origins.poll(5, TimeUnit.SECONDS));
        ClientSession browserLike = SignalingClient.builder().options(server.options())
                .origin("https://app.example").runtime(runtime).build().connect();
        assertEquals("https://app.example", server.origins.poll(5, TimeUnit.SECONDS));
        plain.close();
        browserLike.close();
    }

    @Test
    void aWrongWebSocketPathFailsTheConnect() throws Exception {
        server = FakeServer.start(ClientOptions.Transport.WS);
        SignalingClient wrongPath = SignalingClient.builder().options(server.options().withWsPath("/elsewhere"))
                .runtime(runtime).build();
        assertThrows(IllegalStateException.class, wrongPath::connect);
    }

    @Test
    void requestsBeforeConnectingFailInsteadOfWaiting() {
        ClientSession session = SignalingClient.builder().tcp("127.0.0.1", 9).runtime(runtime).build().newSession();
        CompletableFuture<ServerMessage> r = session.request(new ClientMessage.Ping("p"));
        assertTrue(r.isCompletedExceptionally());
        assertFalse(session.isConnected());
    }
}
