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
                new ServerMessage.Ok("r", new ServerMessage.Removed(2, List.of("candidate network-id", "i="))),
                ServerMessage.Error.limit("r", Limit.TEXT_LENGTH, "too long"),
                ServerMessage.Ping.INSTANCE,
                new ServerMessage.Pong(null),
                new ServerMessage.RoomJoined("r", "room", "m", "owner", true,
                        List.of(new MemberView("m", "u", "n", null, "online", "owner"))),
                new ServerMessage.RoomLeft("r", "room"),
                new ServerMessage.ChatAck("r", "room", "c", 5, 1000, false),
                new ServerMessage.HistoryPage("r", "room",
                        List.of(new ChatMessageView(1, 2, "m", "u", "n", "t", null, "c")), true),
                new ServerMessage.RoomList("r", List.of(new RoomListing("room", "Team", 0))),
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

    /** The hand-written hot frames (HotFrames, JsonBytes) must be byte for byte what Jackson writes. */
    @Test
    void handWrittenFramesEqualJacksonsBytes() {
        java.util.Random random = new java.util.Random(42);
        for (int i = 0; i < 20_000; i++) {
            String a = randomText(random);
            String b = random.nextInt(4) == 0 ? null : randomText(random);
            long n = random.nextInt(3) == 0 ? random.nextLong() : random.nextInt(1_000_000);
            List<Object> values = List.of(
                    new ServerMessage.ChatAck(b, a, "c" + i, n, Math.abs(n), random.nextBoolean()),
                    new ServerMessage.Ok(b),
                    new ServerMessage.Pong(b),
                    ServerMessage.Ping.INSTANCE,
                    new ServerMessage.EventFrame(Math.abs(n), new RoomEvent.ChatPosted(a,
                            new ChatMessageView(n, Math.abs(n), b, a, b, randomText(random),
                                    random.nextBoolean() ? null : n, b), 0)),
                    new ServerMessage.EventFrame(i, new RoomEvent.ChatPosted("r", null, 0)),
                    new ServerMessage.EventFrame(i, new RoomEvent.Signal(a, b, "offer", randomText(random),
                            random.nextBoolean() ? null : a, b, random.nextBoolean() ? null : random.nextInt(1024),
                            random.nextBoolean() ? null : random.nextBoolean())),
                    new ServerMessage.EventFrame(i, new RoomEvent.MemberTyping(a, "m", true)));
            for (Object v : values) {
                String expected = new String(json.encodeWithDatabind(v), java.nio.charset.StandardCharsets.UTF_8);
                String actual = new String(json.encode((ServerMessage) v), java.nio.charset.StandardCharsets.UTF_8);
                assertEquals(expected, actual, v.toString());
            }
        }
    }

    @Test
    void eventBodyIsCachedPerEventNotPerEqualEvent() {
        RoomEvent e1 = new RoomEvent.MemberTyping("room", "m", true);
        RoomEvent e2 = new RoomEvent.MemberTyping("room", "m", false);
        assertEquals("{\"type\":\"event\",\"seq\":1,\"event\":{\"type\":\"member.typing\",\"roomId\":\"room\","
                        + "\"memberId\":\"m\",\"active\":true}}",
                new String(json.encode(new ServerMessage.EventFrame(1, e1)), java.nio.charset.StandardCharsets.UTF_8));
        assertEquals("{\"type\":\"event\",\"seq\":2,\"event\":{\"type\":\"member.typing\",\"roomId\":\"room\","
                        + "\"memberId\":\"m\",\"active\":false}}",
                new String(json.encode(new ServerMessage.EventFrame(2, e2)), java.nio.charset.StandardCharsets.UTF_8));
    }

    /** ASCII, control characters, 2- and 3-byte UTF-8, paired and lone surrogates. */
    private static String randomText(java.util.Random random) {
        int len = random.nextInt(40);
        StringBuilder sb = new StringBuilder(len);
        for (int i = 0; i < len; i++) {
            switch (random.nextInt(6)) {
                case 0 -> sb.append((char) random.nextInt(0x20));
                case 1 -> sb.append((char) (0x7B + random.nextInt(0x800 - 0x7B)));
                case 2 -> sb.append((char) (0x800 + random.nextInt(0xD800 - 0x800)));
                case 3 -> sb.append((char) (0xD800 + random.nextInt(0x800)));
                case 4 -> sb.appendCodePoint(0x10000 + random.nextInt(0x100000));
                default -> sb.append((char) (0x20 + random.nextInt(0x60)));
            }
        }
        return sb.toString();
    }
}
