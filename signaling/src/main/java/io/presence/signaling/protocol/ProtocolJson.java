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
        byte[] out = new byte[eventFrameLength(frame)];
        writeEventFrame(frame, out, 0);
        return out;
    }

    /** The encoded length of {@code frame}; {@link #writeEventFrame} writes exactly this many bytes. */
    public int eventFrameLength(ServerMessage.EventFrame frame) {
        return EVENT_PREFIX.length + digits(frame.seq()) + EVENT_MIDDLE.length + eventBody(frame.event()).length + 1;
    }

    /**
     * Writes the frame into {@code out} at {@code offset} without intermediate copies (the transports encode
     * straight into their output buffers). Returns the offset after the frame.
     */
    public int writeEventFrame(ServerMessage.EventFrame frame, byte[] out, int offset) {
        int at = offset;
        System.arraycopy(EVENT_PREFIX, 0, out, at, EVENT_PREFIX.length);
        at += EVENT_PREFIX.length;
        int len = digits(frame.seq());
        long v = frame.seq();
        for (int i = at + len - 1; i >= at; i--) {
            out[i] = (byte) ('0' + (int) (v % 10));
            v /= 10;
        }
        at += len;
        System.arraycopy(EVENT_MIDDLE, 0, out, at, EVENT_MIDDLE.length);
        at += EVENT_MIDDLE.length;
        byte[] body = eventBody(frame.event());
        System.arraycopy(body, 0, out, at, body.length);
        at += body.length;
        out[at++] = '}';
        return at;
    }

    private byte[] eventBody(RoomEvent event) {
        LastEvent cache = lastEvent.get();
        if (cache.event == event) {
            return cache.body;
        }
        byte[] body;
        try {
            body = mapper.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + event.type(), e);
        }
        cache.event = event;
        cache.body = body;
        return body;
    }

    /** Decimal digits of a non-negative sequence number. */
    private static int digits(long v) {
        int n = 1;
        while (v >= 10) {
            v /= 10;
            n++;
        }
        return n;
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
