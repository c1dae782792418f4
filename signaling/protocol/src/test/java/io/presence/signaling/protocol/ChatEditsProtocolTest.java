package io.presence.signaling.protocol;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The wire shape of chat.edit, chat.delete, chat.read, history after, and messages that were edited or deleted. */
class ChatEditsProtocolTest {
    final ClientMessageDecoder decoder = new ClientMessageDecoder();
    final ProtocolJson json = new ProtocolJson();

    private ClientMessage decoded(String frame) {
        return assertInstanceOf(DecodeResult.Decoded.class, decoder.decode(frame)).message();
    }

    private DecodeResult.Rejected rejected(String frame) {
        return assertInstanceOf(DecodeResult.Rejected.class, decoder.decode(frame));
    }

    @Test
    void editDeleteAndReadDecode() {
        assertEquals(new ClientMessage.EditChat("1", "room", 12, "hey!", null), decoded(
                "{\"type\":\"chat.edit\",\"requestId\":\"1\",\"roomId\":\"room\",\"messageId\":12,\"text\":\"hey!\"}"));
        assertEquals(new ClientMessage.EditChat("1", "room", 12, "x", "no links"), decoded("{\"type\":\"chat.edit\","
                + "\"requestId\":\"1\",\"roomId\":\"room\",\"messageId\":12,\"text\":\"x\",\"reason\":\"no links\"}"));
        assertEquals(new ClientMessage.DeleteChat("2", "room", 13, "spam"), decoded(
                "{\"type\":\"chat.delete\",\"requestId\":\"2\",\"roomId\":\"room\",\"messageId\":13,\"reason\":\"spam\"}"));
        assertEquals(new ClientMessage.MarkRead("3", "room", 13), decoded(
                "{\"type\":\"chat.read\",\"requestId\":\"3\",\"roomId\":\"room\",\"messageId\":13}"));
    }

    @Test
    void badEditsDeletesAndReadsAreInvalidFields() {
        for (String frame : List.of(
                "{\"type\":\"chat.edit\",\"roomId\":\"room\",\"messageId\":0,\"text\":\"x\"}",
                "{\"type\":\"chat.edit\",\"roomId\":\"room\",\"text\":\"x\"}",
                "{\"type\":\"chat.edit\",\"roomId\":\"room\",\"messageId\":1}",
                "{\"type\":\"chat.edit\",\"roomId\":\"room\",\"messageId\":1,\"text\":\"x\",\"reason\":\""
                        + "r".repeat(501) + "\"}",
                "{\"type\":\"chat.delete\",\"roomId\":\"room\",\"messageId\":\"1\"}",
                "{\"type\":\"chat.read\",\"roomId\":\"room\",\"messageId\":-1}")) {
            assertEquals(ErrorCode.INVALID_FIELD, rejected(frame).code(), frame);
        }
    }

    @Test
    void historyPagesAfterOrBeforeButNotBoth() {
        assertEquals(new ClientMessage.GetHistory("6", "room", null, 2, 11L), decoded(
                "{\"type\":\"chat.history\",\"requestId\":\"6\",\"roomId\":\"room\",\"after\":11,\"limit\":2}"));
        DecodeResult.Rejected both = rejected(
                "{\"type\":\"chat.history\",\"requestId\":\"6\",\"roomId\":\"room\",\"after\":11,\"before\":20}");
        assertEquals(ErrorCode.INVALID_FIELD, both.code());
        assertTrue(both.message().contains("'before'") && both.message().contains("'after'"), both.message());
        DecodeResult.Rejected zero = rejected("{\"type\":\"chat.history\",\"roomId\":\"room\",\"after\":0}");
        assertTrue(zero.message().contains("'after'"), zero.message());
    }

    @Test
    void anEditedOrDeletedMessageEncodesAsJacksonWritesItAndOmitsWhatIsAbsent() throws Exception {
        ChatMessageView sent = new ChatMessageView(11, 1000, "m", "dev:Bob", "Bob", "see http://x", 10L, "b-7");
        ChatMessageView edited = sent.withEdit("[link removed]", 2000, "dev:Ann", "no links");
        ChatMessageView deleted = edited.withDeletion("dev:Bob", null);
        for (ChatMessageView m : List.of(sent, edited, deleted, sent.withEdit("own", 3000, "dev:Bob", null))) {
            ServerMessage frame = new ServerMessage.EventFrame(5, new RoomEvent.ChatPosted("room", m, 0));
            String hot = new String(json.encode(frame), StandardCharsets.UTF_8);
            assertEquals(new String(json.encodeWithDatabind(frame), StandardCharsets.UTF_8), hot);
            assertEquals(frame, json.decodeServer(hot));
        }
        String wire = new String(json.encode(new ServerMessage.EventFrame(6, new RoomEvent.ChatDeleted("room", 11,
                "dev:Bob", null))), StandardCharsets.UTF_8);
        assertEquals("{\"type\":\"event\",\"seq\":6,\"event\":{\"type\":\"chat.deleted\",\"roomId\":\"room\","
                + "\"messageId\":11,\"deletedBy\":\"dev:Bob\"}}", wire);
        String plain = new String(json.encode(new ServerMessage.EventFrame(7, new RoomEvent.ChatPosted("room", sent,
                0))), StandardCharsets.UTF_8);
        assertFalse(plain.contains("edited") || plain.contains("deleted"), plain);
        assertEquals("", deleted.text());
        assertEquals(10L, deleted.replyTo());
        assertEquals("dev:Ann", edited.editedBy());
        assertEquals(null, sent.withEdit("own", 3000, "dev:Bob", null).editedBy(), "the sender is not named twice");
    }
}
