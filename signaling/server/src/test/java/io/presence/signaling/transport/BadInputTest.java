package io.presence.signaling.transport;

import io.presence.signaling.client.ClientOptions.Transport;
import io.presence.signaling.client.ClientSession;
import io.presence.signaling.protocol.ClientMessage;
import io.presence.signaling.protocol.ServerMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every kind of bad input gets a typed error and the connection stays usable. */
class BadInputTest {
    static final Duration T = Duration.ofSeconds(5);
    static TestServer ts;

    @BeforeAll
    static void start() {
        ts = new TestServer(TestServer.settings().maxFrameBytes(2048).maxTextLength(100).build());
    }

    @AfterAll
    static void stop() {
        ts.close();
    }

    private static ServerMessage.Error nextError(ClientSession c) {
        ServerMessage m = c.nextUnsolicited(T);
        assertNotNull(m, "an error frame");
        return assertInstanceOf(ServerMessage.Error.class, m);
    }

    private static void assertStillUsable(ClientSession c) {
        ServerMessage pong = ClientSession.await(c.request(new ClientMessage.Ping("alive?")), T);
        assertEquals(new ServerMessage.Pong("alive?"), pong);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void malformedUnknownMissingAndMistypedFramesGetTypedErrors(Transport transport) {
        ClientSession c = ts.session(transport, "mallory");
        String room = c.createRoom();

        c.sendRaw("{not json");
        assertEquals("malformed_json", nextError(c).code());
        c.sendRaw("[1,2,3]");
        assertEquals("malformed_json", nextError(c).code());
        c.sendRaw("{\"type\":\"room.join\",\"roomId\":\"a\"} trailing");
        assertEquals("malformed_json", nextError(c).code());

        c.sendRaw("{\"type\":\"no.such.thing\",\"requestId\":\"u1\"}");
        ServerMessage.Error unknown = nextError(c);
        assertEquals("unknown_type", unknown.code());
        assertEquals("u1", unknown.requestId());

        c.sendRaw("{\"type\":\"chat.send\",\"requestId\":\"m1\",\"roomId\":\"" + room + "\",\"text\":\"x\"}");
        ServerMessage.Error missing = nextError(c);
        assertEquals("invalid_field", missing.code());
        assertEquals("m1", missing.requestId());
        assertTrue(missing.message().contains("clientMsgId"), missing.message());

        c.sendRaw("{\"type\":\"chat.send\",\"requestId\":\"m2\",\"roomId\":\"" + room
                + "\",\"clientMsgId\":\"c\",\"text\":42}");
        ServerMessage.Error mistyped = nextError(c);
        assertEquals("invalid_field", mistyped.code());
        assertTrue(mistyped.message().contains("text"), mistyped.message());

        c.sendRaw("{\"type\":\"typing\",\"requestId\":\"m3\",\"roomId\":\"" + room + "\",\"active\":\"yes\"}");
        assertEquals("invalid_field", nextError(c).code());
        c.sendRaw("{\"type\":7}");
        assertEquals("invalid_field", nextError(c).code());

        assertStillUsable(c);
        // and nothing was stored by the bad frames
        assertEquals(0, c.history(room, null, 10).messages().size());
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void oversizedFramesAreRefusedWithoutClosing(Transport transport) {
        ClientSession c = ts.session(transport, "big");
        String huge = "{\"type\":\"ping\",\"requestId\":\"" + "x".repeat(3000) + "\"}";
        c.sendRaw(huge);
        ServerMessage.Error e = nextError(c);
        assertEquals("limit_exceeded", e.code());
        assertEquals("frame_bytes", e.limit());
        assertStillUsable(c);
    }

    @Test
    void binaryWebSocketFramesAreRefused() throws InterruptedException {
        try (RawPeer c = RawPeer.session(ts.options(Transport.WS), "bin")) {
            c.sendBinary(new byte[]{1, 2, 3});
            assertEquals("binary_frame", assertInstanceOf(ServerMessage.Error.class, c.nextUnsolicited(T)).code());
            assertEquals(new ServerMessage.Pong("alive?"), c.request(new ClientMessage.Ping("alive?"), T));
        }
    }

    @Test
    void rawBytesOnTcpAreMalformedJson() throws InterruptedException {
        try (RawPeer c = RawPeer.session(ts.options(Transport.TCP), "bytes")) {
            c.sendBinary(new byte[]{(byte) 0xff, (byte) 0xfe, 0, 1, '\n'});
            assertEquals("malformed_json", assertInstanceOf(ServerMessage.Error.class, c.nextUnsolicited(T)).code());
            assertEquals(new ServerMessage.Pong("alive?"), c.request(new ClientMessage.Ping("alive?"), T));
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void unknownRoomAndForeignRoomActions(Transport transport) {
        ClientSession owner = ts.session(transport, "owner");
        ClientSession stranger = ts.session(transport, "stranger");
        String room = owner.createRoom();

        ServerMessage.Error unknown = (ServerMessage.Error) ClientSession.await(stranger.request(
                new ClientMessage.JoinRoom("j1", "AAAAAAAAAAAAAAAAAAAAAA")), T);
        assertEquals("unknown_room", unknown.code());
        assertEquals("j1", unknown.requestId());

        for (ClientMessage m : new ClientMessage[]{
                new ClientMessage.SendChat("s1", room, "c1", "hi", null),
                new ClientMessage.GetHistory("s2", room, null, 5),
                new ClientMessage.Typing("s3", room, true),
                new ClientMessage.LeaveRoom("s4", room)}) {
            ServerMessage.Error e = (ServerMessage.Error) ClientSession.await(stranger.request(m), T);
            assertEquals("not_in_room", e.code(), m.type());
            assertEquals(m.requestId(), e.requestId());
        }
        assertEquals(0, owner.history(room, null, 5).messages().size());
        assertStillUsable(stranger);
    }

    @Test
    void requestsBeforeHelloAreRefused() {
        ClientSession c = ts.client(Transport.TCP);
        ServerMessage.Error e = (ServerMessage.Error) ClientSession.await(c.request(
                new ClientMessage.CreateRoom("early")), T);
        assertEquals("hello_required", e.code());
        c.hello("late");
        assertNotNull(c.createRoom());
    }

    @Test
    void secondHelloOnAConnectionIsRefused() {
        ClientSession c = ts.session(Transport.TCP, "twice");
        ServerMessage.Error e = (ServerMessage.Error) ClientSession.await(c.request(new ClientMessage.Hello("h2",
                1, new ClientMessage.Credentials("dev", "x", null, null), null)), T);
        assertEquals("already_authenticated", e.code());
        assertStillUsable(c);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void unsupportedVersionGetsAClearErrorAndTheConnectionCloses(Transport transport) {
        ClientSession c = ts.client(transport);
        ServerMessage.Error e = (ServerMessage.Error) ClientSession.await(c.request(new ClientMessage.Hello("v",
                99, new ClientMessage.Credentials("dev", "future", null, null), null)), T);
        assertEquals("unsupported_version", e.code());
        assertTrue(e.message().contains("1..1"), e.message());
        assertTrue(c.awaitDisconnect(T));
    }

    @Test
    void unknownAuthProviderIsRefused() {
        ClientSession c = ts.client(Transport.TCP);
        ServerMessage.Error e = (ServerMessage.Error) ClientSession.await(c.request(new ClientMessage.Hello("a",
                1, new ClientMessage.Credentials("friend", "x", null, "secret"), null)), T);
        assertEquals("auth_failed", e.code());
        c.hello("fallback");
    }

    @Test
    void textOverTheLimitNamesTheLimit() {
        ClientSession c = ts.session(Transport.WS, "verbose");
        String room = c.createRoom();
        ServerMessage.Error e = (ServerMessage.Error) ClientSession.await(c.request(
                new ClientMessage.SendChat("t", room, "c", "y".repeat(101), null)), T);
        assertEquals("limit_exceeded", e.code());
        assertEquals("text_length", e.limit());
        assertEquals(0, c.history(room, null, 5).messages().size());
    }

    @Test
    void replyToAnUnknownMessageIsRefused() {
        ClientSession c = ts.session(Transport.TCP, "replier");
        String room = c.createRoom();
        ServerMessage.Error e = (ServerMessage.Error) ClientSession.await(c.request(
                new ClientMessage.SendChat("t", room, "c", "re", 12345L)), T);
        assertEquals("invalid_field", e.code());
        long id = c.chat(room, "c0", "first").messageId();
        ServerMessage.ChatAck ack = (ServerMessage.ChatAck) ClientSession.expect(c.request(
                new ClientMessage.SendChat("t2", room, "c1", "re", id)));
        assertEquals(id, c.history(room, null, 5).messages().get(1).replyTo());
        assertEquals(false, ack.duplicate());
    }
}
