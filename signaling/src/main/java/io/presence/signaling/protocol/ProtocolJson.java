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
 * library). Jackson's encoder (and {@link JsonBytes}, which writes the same bytes for the hot frames) escapes
 * control characters, so an encoded frame never contains a raw newline: the TCP framing relies on that.
 *
 * <p>Thread-safe; share one instance.
 */
public final class ProtocolJson {
    private final ObjectMapper mapper = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    /**
     * Fan-out encodes the same room event once per member session, differing only in {@code seq}; the event body is
     * encoded once per thread and reused while the same event instance comes by (identity, not equality). Rooms
     * hand each event loop its members' deliveries of one event in one task, so this hits for all but the first.
     */
    private static final class LastEvent {
        RoomEvent event;
        byte[] body;
    }

    private static final byte[] EVENT_PREFIX = ascii("{\"type\":\"event\",\"seq\":");
    private static final byte[] EVENT_MIDDLE = ascii(",\"event\":");
    private final ThreadLocal<LastEvent> lastEvent = ThreadLocal.withInitial(LastEvent::new);
    /** Per-thread output: the transports copy out of it straight into their (pooled) buffers. */
    private final ThreadLocal<JsonBytes> scratch = ThreadLocal.withInitial(() -> new JsonBytes(1024));

    public byte[] encode(ServerMessage message) {
        return encodeToScratch(message).toByteArray();
    }

    /**
     * Encodes into this thread's reusable buffer and returns it; valid until the next call on the same thread.
     * The frequent frames (events, chat acks, ok, ping/pong) are written by hand, byte for byte what Jackson would
     * write; the rest go through Jackson databind.
     */
    public JsonBytes encodeToScratch(ServerMessage message) {
        JsonBytes out = scratch.get();
        out.reset();
        if (message instanceof ServerMessage.EventFrame frame) {
            out.raw(EVENT_PREFIX);
            out.number(frame.seq());
            out.raw(EVENT_MIDDLE);
            out.raw(eventBody(frame.event()));
            out.raw((byte) '}');
        } else if (message instanceof ServerMessage.ChatAck ack) {
            HotFrames.chatAck(ack, out);
        } else if (message instanceof ServerMessage.Ok ok) {
            HotFrames.typeAndRequestId(HotFrames.OK, ok.requestId(), out);
        } else if (message instanceof ServerMessage.Pong pong) {
            HotFrames.typeAndRequestId(HotFrames.PONG, pong.requestId(), out);
        } else if (message instanceof ServerMessage.Ping) {
            HotFrames.typeAndRequestId(HotFrames.PING, null, out);
        } else {
            out.raw(databind(message));
        }
        return out;
    }

    private byte[] eventBody(RoomEvent event) {
        LastEvent cache = lastEvent.get();
        if (cache.event == event) {
            return cache.body;
        }
        byte[] body = encodeEventBody(event);
        cache.event = event;
        cache.body = body;
        return body;
    }

    /** The event object alone, as Jackson writes it ({@code {"type":"chat.message",…}}). */
    byte[] encodeEventBody(RoomEvent event) {
        if (event instanceof RoomEvent.ChatPosted chat) {
            String text = chat.message() == null ? null : chat.message().text();
            JsonBytes out = new JsonBytes(256 + (text == null ? 0 : text.length()));
            HotFrames.chatPosted(chat, out);
            return out.toByteArray();
        }
        if (event instanceof RoomEvent.Signal signal) {
            String sdp = signal.sdp();
            JsonBytes out = new JsonBytes(256 + (sdp == null ? 0 : sdp.length()));
            HotFrames.signal(signal, out);
            return out.toByteArray();
        }
        return databind(event);
    }

    private byte[] databind(Object value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + value.getClass().getSimpleName(), e);
        }
    }

    /** Jackson's encoding, for tests comparing the hand-written frames with it. */
    byte[] encodeWithDatabind(Object value) {
        return databind(value);
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
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
