package io.presence.signaling.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReferenceArray;

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
     * Fan-out encodes the same room event once per member session, differing only in {@code seq}. The event body
     * is encoded once and shared by every thread while the event is recent: a small table indexed by the event's
     * identity hash holds the latest (event, body) pairs. Identity, not equality: two equal events are two events.
     * Races are benign — two loops may both encode a body and one entry wins; entries are immutable.
     */
    private record EncodedEvent(RoomEvent event, byte[] body) {
    }

    static final int RECENT_EVENTS = 256;
    /** Larger bodies (long texts, SDPs) are not kept: the table must stay small (≤ 256 × 16 KiB). */
    static final int MAX_CACHED_BODY_BYTES = 16 * 1024;
    private final AtomicReferenceArray<EncodedEvent> recent = new AtomicReferenceArray<>(RECENT_EVENTS);

    private static final byte[] EVENT_PREFIX = ascii("{\"type\":\"event\",\"seq\":");
    private static final byte[] EVENT_MIDDLE = ascii(",\"event\":");
    /** Per-thread output: the transports copy out of it straight into their (pooled) buffers. */
    private final ThreadLocal<JsonBytes> scratch = ThreadLocal.withInitial(() -> new JsonBytes(1024));
    /** Event bodies are built here and copied out once, exactly sized, for the shared body cache. */
    private final ThreadLocal<JsonBytes> bodyScratch = ThreadLocal.withInitial(() -> new JsonBytes(1024));

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
        } else if (message instanceof ServerMessage.Ok ok && ok.removed() == null) {
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
        int slot = System.identityHashCode(event) & (RECENT_EVENTS - 1);
        EncodedEvent cached = recent.getAcquire(slot);
        if (cached != null && cached.event == event) {
            return cached.body;
        }
        byte[] body = encodeEventBody(event);
        if (body.length <= MAX_CACHED_BODY_BYTES) {
            recent.setRelease(slot, new EncodedEvent(event, body));
        }
        return body;
    }

    /** The event object alone, as Jackson writes it ({@code {"type":"chat.message",…}}). */
    byte[] encodeEventBody(RoomEvent event) {
        if (event instanceof RoomEvent.ChatPosted chat) {
            JsonBytes out = bodyScratch.get();
            out.reset();
            HotFrames.chatPosted(chat, out);
            return out.toByteArray();
        }
        if (event instanceof RoomEvent.Signal signal) {
            JsonBytes out = bodyScratch.get();
            out.reset();
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
