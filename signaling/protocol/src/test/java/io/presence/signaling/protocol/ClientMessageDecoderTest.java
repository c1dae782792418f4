package io.presence.signaling.protocol;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClientMessageDecoderTest {
    final ClientMessageDecoder decoder = new ClientMessageDecoder();

    private ClientMessage ok(String json) {
        return assertInstanceOf(DecodeResult.Decoded.class, decoder.decode(json), json).message();
    }

    private DecodeResult.Rejected bad(String json) {
        return assertInstanceOf(DecodeResult.Rejected.class, decoder.decode(json), json);
    }

    @Test
    void decodesEveryType() {
        assertEquals(new ClientMessage.Hello("1", 1, new ClientMessage.Credentials("dev", "Ann", null, null), null),
                ok("{\"type\":\"hello\",\"requestId\":\"1\",\"version\":1,\"auth\":{\"provider\":\"dev\",\"displayName\":\"Ann\"}}"));
        assertEquals(new ClientMessage.Hello(null, 1, null, new ClientMessage.Resume("tok", 7)),
                ok("{\"type\":\"hello\",\"version\":1,\"resume\":{\"token\":\"tok\",\"lastSeq\":7}}"));
        assertEquals(new ClientMessage.Bye("b"), ok("{\"type\":\"bye\",\"requestId\":\"b\"}"));
        assertEquals(new ClientMessage.Ping(null), ok("{\"type\":\"ping\"}"));
        assertEquals(new ClientMessage.Pong(null), ok("{\"type\":\"pong\"}"));
        assertEquals(new ClientMessage.CreateRoom("c"), ok("{\"type\":\"room.create\",\"requestId\":\"c\"}"));
        assertEquals(new ClientMessage.JoinRoom(null, "R"), ok("{\"type\":\"room.join\",\"roomId\":\"R\"}"));
        assertEquals(new ClientMessage.LeaveRoom(null, "R"), ok("{\"type\":\"room.leave\",\"roomId\":\"R\"}"));
        assertEquals(new ClientMessage.NameRoom("n", "R", "Team chat"),
                ok("{\"type\":\"room.name\",\"requestId\":\"n\",\"roomId\":\"R\",\"name\":\"  Team chat \"}"));
        assertEquals(new ClientMessage.ListRooms("l"), ok("{\"type\":\"room.list\",\"requestId\":\"l\"}"));
        assertEquals(new ClientMessage.SendChat("s", "R", "c1", "hi\nthere", 4L),
                ok("{\"type\":\"chat.send\",\"requestId\":\"s\",\"roomId\":\"R\",\"clientMsgId\":\"c1\",\"text\":\"hi\\nthere\",\"replyTo\":4}"));
        assertEquals(new ClientMessage.GetHistory(null, "R", 10L, 5),
                ok("{\"type\":\"chat.history\",\"roomId\":\"R\",\"before\":10,\"limit\":5}"));
        assertEquals(new ClientMessage.GetHistory(null, "R", null, null),
                ok("{\"type\":\"chat.history\",\"roomId\":\"R\"}"));
        assertEquals(new ClientMessage.Typing(null, "R", false),
                ok("{\"type\":\"typing\",\"roomId\":\"R\",\"active\":false}"));
        assertEquals(new ClientMessage.UpdateProfile(null, "N", null),
                ok("{\"type\":\"profile.update\",\"displayName\":\"N\"}"));
        assertEquals(new ClientMessage.CreateRoom(null, true), ok("{\"type\":\"room.create\",\"relayOnly\":true}"));
        assertEquals(new ClientMessage.JoinCall(null, "R"), ok("{\"type\":\"live.join\",\"roomId\":\"R\"}"));
        assertEquals(new ClientMessage.LeaveCall(null, "R"), ok("{\"type\":\"live.leave\",\"roomId\":\"R\"}"));
        assertEquals(new ClientMessage.RefreshCredentials(null, "R"),
                ok("{\"type\":\"live.credentials\",\"roomId\":\"R\"}"));
        assertEquals(new ClientMessage.MediaState(null, "R", true, null, false),
                ok("{\"type\":\"live.state\",\"roomId\":\"R\",\"muted\":true,\"speaking\":false}"));
        assertEquals(new ClientMessage.Signal(null, "R", "P", "candidate", null, "candidate:x", "0", 1, null),
                ok("{\"type\":\"live.signal\",\"roomId\":\"R\",\"to\":\"P\",\"kind\":\"candidate\","
                        + "\"candidate\":\"candidate:x\",\"sdpMid\":\"0\",\"sdpMLineIndex\":1,\"sdp\":\"ignored\"}"));
        assertEquals(new ClientMessage.Signal(null, "R", "P", "restart", null, null, null, null, null),
                ok("{\"type\":\"live.signal\",\"roomId\":\"R\",\"to\":\"P\",\"kind\":\"restart\",\"iceRestart\":true}"));
    }

    @Test
    void unknownFieldsAreIgnoredForForwardCompatibility() {
        assertEquals(new ClientMessage.Ping("p"), ok("{\"type\":\"ping\",\"requestId\":\"p\",\"future\":{\"x\":1}}"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{|malformed_json",
            "''|malformed_json",
            "null|malformed_json",
            "\"str\"|malformed_json",
            "[]|malformed_json",
            "{\"type\":\"ping\"}{\"type\":\"ping\"}|malformed_json",
            "{\"type\":\"ping\",\"type\":\"pong\"}|malformed_json",
            "{}|invalid_field",
            "{\"type\":null}|invalid_field",
            "{\"type\":1}|invalid_field",
            "{\"type\":\"nope\"}|unknown_type",
            "{\"type\":\"room.join\"}|invalid_field",
            "{\"type\":\"room.join\",\"roomId\":5}|invalid_field",
            "{\"type\":\"room.join\",\"roomId\":\"\"}|invalid_field",
            "{\"type\":\"room.join\",\"roomId\":[\"a\"]}|invalid_field",
            "{\"type\":\"chat.send\",\"roomId\":\"r\",\"clientMsgId\":\"c\"}|invalid_field",
            "{\"type\":\"chat.send\",\"roomId\":\"r\",\"clientMsgId\":\"c\",\"text\":\"t\",\"replyTo\":\"4\"}|invalid_field",
            "{\"type\":\"chat.send\",\"roomId\":\"r\",\"clientMsgId\":\"c\",\"text\":\"t\",\"replyTo\":1.5}|invalid_field",
            "{\"type\":\"chat.history\",\"roomId\":\"r\",\"limit\":0}|invalid_field",
            "{\"type\":\"chat.history\",\"roomId\":\"r\",\"limit\":100000}|invalid_field",
            "{\"type\":\"typing\",\"roomId\":\"r\",\"active\":1}|invalid_field",
            "{\"type\":\"typing\",\"roomId\":\"r\"}|invalid_field",
            "{\"type\":\"hello\",\"version\":\"1\",\"auth\":{\"provider\":\"dev\"}}|invalid_field",
            "{\"type\":\"hello\",\"version\":1}|invalid_field",
            "{\"type\":\"hello\",\"version\":1,\"auth\":{\"provider\":\"dev\"},\"resume\":{\"token\":\"t\",\"lastSeq\":0}}|invalid_field",
            "{\"type\":\"hello\",\"version\":1,\"resume\":{\"token\":\"t\",\"lastSeq\":-1}}|invalid_field",
            "{\"type\":\"hello\",\"version\":1,\"auth\":\"dev\"}|invalid_field",
            "{\"type\":\"ping\",\"requestId\":7}|invalid_field",
            "{\"type\":\"room.create\",\"relayOnly\":\"yes\"}|invalid_field",
            "{\"type\":\"live.join\"}|invalid_field",
            "{\"type\":\"live.signal\",\"roomId\":\"r\",\"to\":\"p\",\"kind\":\"pranswer\",\"sdp\":\"v=0\"}|invalid_field",
            "{\"type\":\"live.signal\",\"roomId\":\"r\",\"to\":\"p\",\"kind\":\"offer\"}|invalid_field",
            "{\"type\":\"live.signal\",\"roomId\":\"r\",\"to\":\"p\",\"kind\":\"candidate\"}|invalid_field",
            "{\"type\":\"live.signal\",\"roomId\":\"r\",\"kind\":\"restart\"}|invalid_field",
            "{\"type\":\"live.signal\",\"roomId\":\"r\",\"to\":\"p\",\"kind\":\"candidate\",\"candidate\":\"c\",\"sdpMLineIndex\":-1}|invalid_field",
            "{\"type\":\"live.signal\",\"roomId\":\"r\",\"to\":\"p\",\"kind\":\"offer\",\"sdp\":7}|invalid_field",
            "{\"type\":\"live.state\",\"roomId\":\"r\",\"muted\":1}|invalid_field",
            "{\"type\":\"room.name\",\"roomId\":\"r\"}|invalid_field",
            "{\"type\":\"room.name\",\"name\":\"x\"}|invalid_field",
            "{\"type\":\"room.name\",\"roomId\":\"r\",\"name\":\"   \"}|invalid_field",
            "{\"type\":\"room.name\",\"roomId\":\"r\",\"name\":\"a\\u0007b\"}|invalid_field",
            "{\"type\":\"room.name\",\"roomId\":\"r\",\"name\":\"a\\nb\"}|invalid_field",
            "{\"type\":\"room.name\",\"roomId\":\"r\",\"name\":7}|invalid_field",
    })
    void rejectsWithTheRightCode(String json, String code) {
        assertEquals(code, bad(json).code().wire());
    }

    @Test
    void aRoomNameIsAtMostAHundredCharactersAfterTrimming() {
        String hundred = "n".repeat(100);
        assertEquals(new ClientMessage.NameRoom(null, "R", hundred),
                ok("{\"type\":\"room.name\",\"roomId\":\"R\",\"name\":\" " + hundred + " \"}"));
        assertEquals("invalid_field",
                bad("{\"type\":\"room.name\",\"roomId\":\"R\",\"name\":\"" + hundred + "n\"}").code().wire());
    }

    @Test
    void echoesTheRequestIdWhenItIsReadable() {
        DecodeResult.Rejected r = bad("{\"type\":\"room.join\",\"requestId\":\"abc\"}");
        assertEquals("abc", r.requestId());
        assertTrue(r.message().contains("roomId"), r.message());
        assertEquals("abc", r.toError().requestId());
        assertNull(bad("{\"requestId\":\"x\"").requestId());
    }

    @Test
    void deepNestingIsRefusedCheaply() {
        String deep = "{\"type\":\"ping\",\"x\":" + "[".repeat(5000) + "]".repeat(5000) + "}";
        assertEquals(ErrorCode.MALFORMED_JSON, bad(deep).code());
    }

    @Test
    void invalidUtf8IsMalformed() {
        byte[] bytes = {'{', '"', 't', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
        assertEquals(ErrorCode.MALFORMED_JSON,
                assertInstanceOf(DecodeResult.Rejected.class, decoder.decode(bytes)).code());
    }

    @Test
    void decodesASliceOfALargerArray() {
        byte[] framed = "xx{\"type\":\"ping\"}yy".getBytes(StandardCharsets.UTF_8);
        assertEquals(new ClientMessage.Ping(null),
                assertInstanceOf(DecodeResult.Decoded.class, decoder.decode(framed, 2, framed.length - 4)).message());
    }

    @Test
    void credentialsAndResumeNeverPrintSecrets() {
        String token = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        assertTrue(!new ClientMessage.Resume(token, 1).toString().contains(token));
        assertTrue(!new ClientMessage.Credentials("jwt", "n", null, "s3cr3t").toString().contains("s3cr3t"));
        assertTrue(!new ServerMessage.Welcome("r", 1, "s", "u", token, false, 0, 1, 1).toString().contains(token));
    }
}
