package io.presence.signaling.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code room.rename}, {@code room.close}, {@code room.settings}, their events and memberships on the wire. */
class RoomLifecycleMessagesTest {
    final ClientMessageDecoder decoder = new ClientMessageDecoder();
    final ProtocolJson json = new ProtocolJson();
    final ObjectMapper plain = new ObjectMapper();

    ClientMessage ok(String frame) {
        return assertInstanceOf(DecodeResult.Decoded.class, decoder.decode(frame)).message();
    }

    DecodeResult.Rejected bad(String frame) {
        return assertInstanceOf(DecodeResult.Rejected.class, decoder.decode(frame));
    }

    @Test
    void decodesTheRequestsAndHoldsNamesToTheRoomNameRule() {
        assertEquals(new ClientMessage.RenameRoom("1", "r", "Team 🎉"),
                ok("{\"type\":\"room.rename\",\"requestId\":\"1\",\"roomId\":\"r\",\"name\":\"  Team 🎉 \"}"));
        assertEquals(new ClientMessage.CloseRoom("2", "r"), ok("{\"type\":\"room.close\",\"requestId\":\"2\",\"roomId\":\"r\"}"));
        assertEquals(new ClientMessage.UpdateRoomSettings("3", "r", true),
                ok("{\"type\":\"room.settings\",\"requestId\":\"3\",\"roomId\":\"r\",\"relayOnly\":true}"));

        for (String frame : List.of(
                "{\"type\":\"room.rename\",\"requestId\":\"1\",\"roomId\":\"r\",\"name\":\"   \"}",
                "{\"type\":\"room.rename\",\"requestId\":\"1\",\"roomId\":\"r\",\"name\":\"" + "x".repeat(101) + "\"}",
                "{\"type\":\"room.rename\",\"requestId\":\"1\",\"roomId\":\"r\",\"name\":\"a\\u0007b\"}",
                "{\"type\":\"room.rename\",\"requestId\":\"1\",\"roomId\":\"r\"}",
                "{\"type\":\"room.close\",\"requestId\":\"1\"}",
                "{\"type\":\"room.settings\",\"requestId\":\"1\",\"roomId\":\"r\"}",
                "{\"type\":\"room.settings\",\"requestId\":\"1\",\"roomId\":\"r\",\"relayOnly\":\"true\"}")) {
            DecodeResult.Rejected rejected = bad(frame);
            assertEquals(ErrorCode.INVALID_FIELD, rejected.code(), frame);
            assertEquals("1", rejected.requestId(), frame);
        }
    }

    @Test
    void theNewErrorCodesHaveTheirWireNames() {
        assertEquals("not_persistent", ErrorCode.NOT_PERSISTENT.wire());
        assertEquals("call_in_progress", ErrorCode.CALL_IN_PROGRESS.wire());
    }

    @Test
    void eventsAndMembershipsRoundTrip() throws Exception {
        List<ServerMessage> samples = List.of(
                new ServerMessage.EventFrame(1, new RoomEvent.RoomRenamed("room", "Team", "dev:ann")),
                new ServerMessage.EventFrame(2, new RoomEvent.RoomClosed("room", "dev:ann")),
                new ServerMessage.EventFrame(3, new RoomEvent.RoomSettingsChanged("room", true, "dev:ann")),
                new ServerMessage.RoomJoined("r", "room", "m", "member", false,
                        List.of(new MemberView("m", "dev:bob", "Bob", null, "online", "member")),
                        List.of(new MembershipView("dev:ann", "Ann", "owner", "offline"),
                                new MembershipView("dev:bob", "Bob", "member", "online"))));
        for (ServerMessage m : samples) {
            byte[] bytes = json.encode(m);
            assertEquals(m, json.decodeServer(bytes, 0, bytes.length), new String(bytes, StandardCharsets.UTF_8));
        }
        JsonNode renamed = plain.readTree(json.encode(samples.get(0))).get("event");
        assertEquals("room.renamed", renamed.get("type").asText());
        assertEquals("dev:ann", renamed.get("by").asText());
        assertEquals("room.closed", plain.readTree(json.encode(samples.get(1))).get("event").get("type").asText());
        JsonNode settings = plain.readTree(json.encode(samples.get(2))).get("event");
        assertEquals("room.settings", settings.get("type").asText());
        assertTrue(settings.get("relayOnly").asBoolean());
        JsonNode membership = plain.readTree(json.encode(samples.get(3))).get("memberships").get(0);
        assertEquals("offline", membership.get("presence").asText());
        assertEquals("Ann", membership.get("name").asText());

        JsonNode ephemeral = plain.readTree(json.encode(new ServerMessage.RoomJoined("r", "room", "m", "owner", true,
                List.of())));
        assertFalse(ephemeral.has("memberships"), "an ephemeral room's snapshot has no memberships");
    }
}
