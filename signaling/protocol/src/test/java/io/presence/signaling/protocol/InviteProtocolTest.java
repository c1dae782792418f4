package io.presence.signaling.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The wire shape of the invite requests and answers, the guest's hello, and the invite error codes. */
class InviteProtocolTest {
    final ClientMessageDecoder decoder = new ClientMessageDecoder();
    final ProtocolJson json = new ProtocolJson();

    private ClientMessage decoded(String frame) {
        return assertInstanceOf(DecodeResult.Decoded.class, decoder.decode(frame)).message();
    }

    private DecodeResult.Rejected rejected(String frame) {
        return assertInstanceOf(DecodeResult.Rejected.class, decoder.decode(frame));
    }

    @Test
    void inviteRequestsDecode() {
        assertEquals(new ClientMessage.CreateInvite("1", "r", "public", null, null),
                decoded("{\"type\":\"invite.create\",\"requestId\":\"1\",\"roomId\":\"r\",\"kind\":\"public\"}"));
        assertEquals(new ClientMessage.CreateInvite("2", "r", "targeted", "alice", 600L), decoded(
                "{\"type\":\"invite.create\",\"requestId\":\"2\",\"roomId\":\"r\",\"kind\":\"targeted\","
                        + "\"userId\":\"alice\",\"ttl\":600}"));
        assertEquals(new ClientMessage.RedeemInvite("3", "tok"),
                decoded("{\"type\":\"invite.redeem\",\"requestId\":\"3\",\"token\":\"tok\"}"));
        assertEquals(new ClientMessage.RevokeInvite("4", "r", "i"),
                decoded("{\"type\":\"invite.revoke\",\"requestId\":\"4\",\"roomId\":\"r\",\"inviteId\":\"i\"}"));
        assertEquals(new ClientMessage.ListInvites("5", "r"),
                decoded("{\"type\":\"invite.list\",\"requestId\":\"5\",\"roomId\":\"r\"}"));
        assertEquals(new ClientMessage.PendingInvites("6"), decoded("{\"type\":\"invite.pending\",\"requestId\":\"6\"}"));
        assertEquals(new ClientMessage.AcceptInvite("7", "i"),
                decoded("{\"type\":\"invite.accept\",\"requestId\":\"7\",\"inviteId\":\"i\"}"));
        assertEquals(new ClientMessage.DeclineInvite("8", "i"),
                decoded("{\"type\":\"invite.decline\",\"requestId\":\"8\",\"inviteId\":\"i\"}"));
    }

    @Test
    void badInviteRequestsAreInvalidFields() {
        for (String frame : List.of(
                "{\"type\":\"invite.create\",\"roomId\":\"r\",\"kind\":\"forever\"}",
                "{\"type\":\"invite.create\",\"roomId\":\"r\"}",
                "{\"type\":\"invite.create\",\"kind\":\"public\"}",
                "{\"type\":\"invite.create\",\"roomId\":\"r\",\"kind\":\"targeted\"}",
                "{\"type\":\"invite.create\",\"roomId\":\"r\",\"kind\":\"targeted\",\"userId\":\"\"}",
                "{\"type\":\"invite.create\",\"roomId\":\"r\",\"kind\":\"single\",\"userId\":\"bob\"}",
                "{\"type\":\"invite.create\",\"roomId\":\"r\",\"kind\":\"single\",\"ttl\":-1}",
                "{\"type\":\"invite.create\",\"roomId\":\"r\",\"kind\":\"single\",\"ttl\":\"60\"}",
                "{\"type\":\"invite.redeem\",\"token\":\"\"}",
                "{\"type\":\"invite.redeem\"}",
                "{\"type\":\"invite.revoke\",\"roomId\":\"r\"}",
                "{\"type\":\"invite.accept\"}")) {
            assertEquals(ErrorCode.INVALID_FIELD, rejected(frame).code(), frame);
        }
    }

    @Test
    void aGuestHelloCarriesTheInviteAndNeverPrintsIt() {
        ClientMessage.Hello hello = assertInstanceOf(ClientMessage.Hello.class, decoded("{\"type\":\"hello\","
                + "\"requestId\":\"1\",\"version\":1,\"auth\":{\"provider\":\"guest\",\"invite\":\"s3cr3tInvite\","
                + "\"displayName\":\"Eve\"}}"));
        assertEquals(new ClientMessage.Credentials("guest", "Eve", null, null, "s3cr3tInvite"), hello.auth());
        assertFalse(hello.toString().contains("s3cr3t"), hello.toString());
        assertEquals(ErrorCode.INVALID_FIELD, rejected("{\"type\":\"hello\",\"version\":1,\"auth\":{\"provider\":"
                + "\"guest\",\"invite\":\"" + "x".repeat(257) + "\"}}").code());
    }

    @Test
    void answersEncodeWithTheirFieldsAndTheTokenStaysOutOfLogs() throws Exception {
        ObjectMapper plain = new ObjectMapper();
        ServerMessage.InviteCreated created = new ServerMessage.InviteCreated("1", "inv", "r", "single",
                "s3cr3tToken", "https://example.org/join/s3cr3tToken", 1_764_900_000_000L);
        JsonNode tree = plain.readTree(json.encode(created));
        assertEquals("invite.created", tree.get("type").asText());
        assertEquals("s3cr3tToken", tree.get("token").asText());
        assertEquals("https://example.org/join/s3cr3tToken", tree.get("url").asText());
        assertEquals(1_764_900_000_000L, tree.get("expiresAt").asLong());
        assertFalse(created.toString().contains("s3cr3tToken"), "at most a prefix: " + created);

        JsonNode list = plain.readTree(json.encode(new ServerMessage.InviteList("2", "r", List.of(
                new InviteView("inv", "r", "public", null, "alice", 1L, 2L, 3, false)))));
        JsonNode view = list.get("invites").get(0);
        assertEquals("invite.list", list.get("type").asText());
        assertFalse(view.has("token"));
        assertFalse(view.has("userId"), "only targeted invites name a user");
        assertEquals(3, view.get("uses").asInt());

        JsonNode redeemed = plain.readTree(json.encode(new ServerMessage.InviteRedeemed("3", "r", "Team")));
        assertEquals("invite.redeemed", redeemed.get("type").asText());
        assertEquals("Team", redeemed.get("name").asText());
        assertTrue(plain.readTree(json.encode(new ServerMessage.PendingInviteList("4", List.of())))
                .get("invites").isArray());
    }

    @Test
    void inviteErrorCodesHaveTheirWireNames() {
        assertEquals("invite_unknown", ErrorCode.INVITE_UNKNOWN.wire());
        assertEquals("invite_expired", ErrorCode.INVITE_EXPIRED.wire());
        assertEquals("invite_used", ErrorCode.INVITE_USED.wire());
        assertEquals("invite_revoked", ErrorCode.INVITE_REVOKED.wire());
    }
}
