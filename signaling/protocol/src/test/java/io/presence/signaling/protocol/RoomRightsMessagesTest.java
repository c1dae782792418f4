package io.presence.signaling.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** {@code room.kick}, {@code room.role}, {@code room.direct}, their events and a direct room's listing on the wire. */
class RoomRightsMessagesTest {
    final ClientMessageDecoder decoder = new ClientMessageDecoder();
    final ProtocolJson json = new ProtocolJson();
    final ObjectMapper plain = new ObjectMapper();

    ClientMessage ok(String frame) {
        return assertInstanceOf(DecodeResult.Decoded.class, decoder.decode(frame)).message();
    }

    @Test
    void decodesTheRequestsAndRefusesBadFields() {
        assertEquals(new ClientMessage.KickMember("1", "r", "dev:eve", "spam"),
                ok("{\"type\":\"room.kick\",\"requestId\":\"1\",\"roomId\":\"r\",\"userId\":\"dev:eve\",\"reason\":\"spam\"}"));
        assertEquals(new ClientMessage.KickMember("1", "r", "dev:eve", null),
                ok("{\"type\":\"room.kick\",\"requestId\":\"1\",\"roomId\":\"r\",\"userId\":\"dev:eve\"}"));
        assertEquals(new ClientMessage.ChangeRole("2", "r", "dev:bob", "admin"),
                ok("{\"type\":\"room.role\",\"requestId\":\"2\",\"roomId\":\"r\",\"userId\":\"dev:bob\",\"role\":\"admin\"}"));
        assertEquals(new ClientMessage.OpenDirect("3", "dev:bob"),
                ok("{\"type\":\"room.direct\",\"requestId\":\"3\",\"userId\":\"dev:bob\"}"));

        for (String frame : List.of(
                "{\"type\":\"room.kick\",\"requestId\":\"1\",\"roomId\":\"r\"}",
                "{\"type\":\"room.kick\",\"requestId\":\"1\",\"roomId\":\"r\",\"userId\":\"\"}",
                "{\"type\":\"room.kick\",\"requestId\":\"1\",\"roomId\":\"r\",\"userId\":\"u\",\"reason\":\""
                        + "x".repeat(501) + "\"}",
                "{\"type\":\"room.role\",\"requestId\":\"1\",\"roomId\":\"r\",\"userId\":\"u\",\"role\":\"guest\"}",
                "{\"type\":\"room.role\",\"requestId\":\"1\",\"roomId\":\"r\",\"userId\":\"u\",\"role\":\"Owner\"}",
                "{\"type\":\"room.role\",\"requestId\":\"1\",\"roomId\":\"r\",\"userId\":\"u\"}",
                "{\"type\":\"room.direct\",\"requestId\":\"1\"}",
                "{\"type\":\"room.direct\",\"requestId\":\"1\",\"userId\":7}")) {
            DecodeResult.Rejected rejected = assertInstanceOf(DecodeResult.Rejected.class, decoder.decode(frame));
            assertEquals(ErrorCode.INVALID_FIELD, rejected.code(), frame);
            assertEquals("1", rejected.requestId(), frame);
        }
        assertEquals("unknown_member", ErrorCode.UNKNOWN_MEMBER.wire());
    }

    @Test
    void eventsAndADirectListingRoundTrip() throws Exception {
        List<ServerMessage> samples = List.of(
                new ServerMessage.EventFrame(1, new RoomEvent.MemberKicked("room", "dev:eve", "dev:ann", "spam")),
                new ServerMessage.EventFrame(2, new RoomEvent.RoleChanged("room", "dev:bob", "admin", "dev:ann")),
                new ServerMessage.RoomList("l", List.of(new RoomListing("room", "Team", 0),
                        new RoomListing("dabc", null, 2, true, "dev:bob"))));
        for (ServerMessage m : samples) {
            byte[] bytes = json.encode(m);
            assertEquals(m, json.decodeServer(bytes, 0, bytes.length), new String(bytes, StandardCharsets.UTF_8));
        }
        JsonNode kicked = plain.readTree(json.encode(samples.get(0))).get("event");
        assertEquals("room.kicked", kicked.get("type").asText());
        assertEquals("room.role", plain.readTree(json.encode(samples.get(1))).get("event").get("type").asText());
        JsonNode rooms = plain.readTree(json.encode(samples.get(2))).get("rooms");
        assertFalse(rooms.get(0).has("direct"), "a room that is not direct says nothing about it");
        assertEquals("dev:bob", rooms.get(1).get("with").asText());
        assertFalse(rooms.get(1).has("name"));
    }

    @Test
    void aRoomListedEventCarriesTheRoomListEntry() throws Exception {
        ServerMessage m = new ServerMessage.EventFrame(31, new RoomEvent.RoomListed("dabc",
                new RoomListing("dabc", null, 0, true, "dev:ann")));
        byte[] bytes = json.encode(m);
        assertEquals(m, json.decodeServer(bytes, 0, bytes.length), new String(bytes, StandardCharsets.UTF_8));
        assertEquals("{\"type\":\"event\",\"seq\":31,\"event\":{\"type\":\"room.listed\",\"roomId\":\"dabc\","
                + "\"room\":{\"roomId\":\"dabc\",\"unread\":0,\"direct\":true,\"with\":\"dev:ann\"}}}",
                new String(bytes, StandardCharsets.UTF_8), "as PROTOCOL.md shows it");
    }
}
