package io.presence.signaling.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

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

    /**
     * Fan-out encodes the same room event once per member session, differing only in {@code seq}; the event body is
     * encoded once per thread and reused while the same event instance comes by (identity, not equality).
     */
    private static final class LastEvent {
        RoomEvent event;
        byte[] body;
    }

    private static final byte[] EVENT_PREFIX = "{\"type\":\"event\",\"seq\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EVENT_MIDDLE = ",\"event\":".getBytes(StandardCharsets.US_ASCII);
    private final ThreadLocal<LastEvent> lastEvent = ThreadLocal.withInitial(LastEvent::new);

    public byte[] encode(ServerMessage message) {
        if (message instanceof ServerMessage.EventFrame frame) {
            return encodeEvent(frame);
        }
        try {
            return mapper.writeValueAsBytes(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + message.type(), e);
        }
    }

    /** Same bytes as Jackson would write for the frame: {@code {"type":"event","seq":N,"event":{…}}}. */
    private byte[] encodeEvent(ServerMessage.EventFrame frame) {
        LastEvent cache = lastEvent.get();
        byte[] body;
        if (cache.event == frame.event()) {
            body = cache.body;
        } else {
            try {
                body = mapper.writeValueAsBytes(frame.event());
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot encode " + frame.event().type(), e);
            }
            cache.event = frame.event();
            cache.body = body;
        }
        byte[] seq = Long.toString(frame.seq()).getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[EVENT_PREFIX.length + seq.length + EVENT_MIDDLE.length + body.length + 1];
        int at = 0;
        System.arraycopy(EVENT_PREFIX, 0, out, at, EVENT_PREFIX.length);
        at += EVENT_PREFIX.length;
        System.arraycopy(seq, 0, out, at, seq.length);
        at += seq.length;
        System.arraycopy(EVENT_MIDDLE, 0, out, at, EVENT_MIDDLE.length);
        at += EVENT_MIDDLE.length;
        System.arraycopy(body, 0, out, at, body.length);
        out[out.length - 1] = '}';
        return out;
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
