package io.presence.signaling.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class ProtocolJsonTest {
    final ProtocolJson json = new ProtocolJson();
    final ObjectMapper plain = new ObjectMapper();

    @Test
    void serverMessagesRoundTripAndCarryTheirTypeName() throws Exception {
        List<ServerMessage> samples = List.of(
                new ServerMessage.Welcome("r", 1, "sid", "dev:a", "tok", true, 12, 15000, 60000),
                new ServerMessage.Ok("r"),
                ServerMessage.Error.limit("r", Limit.TEXT_LENGTH, "too long"),
                ServerMessage.Ping.INSTANCE,
                new ServerMessage.Pong(null),
                new ServerMessage.RoomJoined("r", "room", "m", "owner",
                        List.of(new MemberView("m", "u", "n", null, "online", "owner"))),
                new ServerMessage.RoomLeft("r", "room"),
                new ServerMessage.ChatAck("r", "room", "c", 5, 1000, false),
                new ServerMessage.HistoryPage("r", "room",
                        List.of(new ChatMessageView(1, 2, "m", "u", "n", "t", null, "c")), true),
                new ServerMessage.Closing("bye", "x"),
                new ServerMessage.EventFrame(3, new RoomEvent.MemberTyping("room", "m", true)));
        for (ServerMessage m : samples) {
            byte[] bytes = json.encode(m);
            JsonNode tree = plain.readTree(bytes);
            assertEquals(m.type(), tree.get("type").asText());
            assertEquals(m, json.decodeServer(bytes, 0, bytes.length));
        }
    }

    @Test
    void chatEventsKeepTheirServerOnlyTimingOffTheWire() throws Exception {
        ServerMessage.EventFrame frame = new ServerMessage.EventFrame(9, new RoomEvent.ChatPosted("room",
                new ChatMessageView(1, 2, "m", "u", "n", "t", null, "c"), 123456789L));
        JsonNode tree = plain.readTree(json.encode(frame));
        assertEquals("event", tree.get("type").asText());
        assertEquals(9, tree.get("seq").asLong());
        assertEquals("chat.message", tree.get("event").get("type").asText());
        assertFalse(tree.get("event").has("acceptedNanos"));
        assertFalse(tree.toString().contains("123456789"));
    }

    @Test
    void cachedEventEncodingIsByteForByteWhatJacksonWrites() throws Exception {
        RoomEvent shared = new RoomEvent.MemberUpdated("room", new MemberView("m", "u", "Zoë \"q\"", null, "online",
                "member"));
        ObjectMapper reference = new ObjectMapper();
        for (long seq : new long[]{1, 2, 99, Long.MAX_VALUE}) {
            ServerMessage.EventFrame frame = new ServerMessage.EventFrame(seq, shared);
            assertEquals(reference.writeValueAsString(frame),
                    new String(json.encode(frame), java.nio.charset.StandardCharsets.UTF_8));
            assertEquals(frame, json.decodeServer(new String(json.encode(frame),
                    java.nio.charset.StandardCharsets.UTF_8)));
        }
        // a different event instance is not served from the cache
        RoomEvent other = new RoomEvent.MemberBack("room", "m2");
        assertEquals(reference.writeValueAsString(new ServerMessage.EventFrame(3, other)),
                new String(json.encode(new ServerMessage.EventFrame(3, other)), java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void nullFieldsAreOmitted() throws Exception {
        JsonNode tree = plain.readTree(json.encode(ServerMessage.Error.of(null, ErrorCode.UNKNOWN_ROOM, "x")));
        assertFalse(tree.has("requestId"));
        assertFalse(tree.has("limit"));
        assertEquals("unknown_room", tree.get("code").asText());
    }
}
