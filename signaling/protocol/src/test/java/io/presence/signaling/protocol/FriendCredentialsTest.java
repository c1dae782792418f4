package io.presence.signaling.protocol;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** Friend sign-in's fields in {@code hello.auth}: decoded, encoded by clients, never printed. */
class FriendCredentialsTest {
    final ClientMessageDecoder decoder = new ClientMessageDecoder();
    final ProtocolJson json = new ProtocolJson();

    @Test
    void decodesAuthIdAndLogin() {
        ClientMessage.Hello hello = (ClientMessage.Hello) assertInstanceOf(DecodeResult.Decoded.class, decoder.decode(
                "{\"type\":\"hello\",\"version\":1,\"auth\":{\"provider\":\"friend\",\"authId\":\"a1\","
                        + "\"login\":\"ann\"}}")).message();
        assertEquals(ClientMessage.Credentials.friend("a1", "ann"), hello.auth());
    }

    @Test
    void anOverlongAuthIdIsAnInvalidField() {
        DecodeResult.Rejected r = assertInstanceOf(DecodeResult.Rejected.class, decoder.decode(
                "{\"type\":\"hello\",\"version\":1,\"auth\":{\"provider\":\"friend\",\"authId\":\""
                        + "x".repeat(ClientMessageDecoder.MAX_AUTH_ID_CHARS + 1) + "\",\"login\":\"ann\"}}"));
        assertEquals(ErrorCode.INVALID_FIELD, r.code());
    }

    @Test
    void encodesWhatTheDecoderReadsAndHidesTheAuthIdWhenPrinted() {
        ClientMessage.Hello hello = new ClientMessage.Hello("1", 1, ClientMessage.Credentials.friend("a1", "ann"),
                null);
        String wire = new String(json.encode(hello), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(hello, assertInstanceOf(DecodeResult.Decoded.class, decoder.decode(wire)).message());
        assertFalse(hello.auth().toString().contains("a1"));
    }
}
