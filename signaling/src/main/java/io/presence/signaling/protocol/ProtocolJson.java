package io.presence.signaling.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Encoding of server messages (server side) and of client messages plus decoding of server messages (client
 * library). Jackson's encoder escapes control characters, so an encoded frame never contains a raw newline: the
 * TCP framing relies on that.
 *
 * <p>Thread-safe; share one instance.
 */
public final class ProtocolJson {
    private final ObjectMapper mapper = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    public byte[] encode(ServerMessage message) {
        try {
            return mapper.writeValueAsBytes(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + message.type(), e);
        }
    }

    public byte[] encode(ClientMessage message) {
        try {
            return mapper.writeValueAsBytes(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + message.type(), e);
        }
    }

    /** For the client library: unknown fields are ignored so the server can add optional fields. */
    public ServerMessage decodeServer(byte[] frame, int offset, int length) {
        try {
            return mapper.readValue(frame, offset, length, ServerMessage.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot decode server frame", e);
        }
    }

    public ServerMessage decodeServer(String frame) {
        try {
            return mapper.readValue(frame, ServerMessage.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot decode server frame", e);
        }
    }
}
