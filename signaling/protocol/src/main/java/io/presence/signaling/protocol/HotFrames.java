package io.presence.signaling.protocol;

import static io.presence.signaling.protocol.ProtocolJson.ascii;

/**
 * Hand-written encoders for the frames sent once or more per chat message or call signal: the room events
 * {@code chat.message} and {@code live.signal}, and the responses {@code chat.ack}, {@code ok}, {@code pong},
 * {@code ping}. Field order and null omission are Jackson's for the records (type id first, then the record
 * components in declaration order, nulls left out), so clients see the same bytes as before;
 * {@code ProtocolJsonTest} compares every one of them with Jackson's output.
 *
 * <p>A new field in one of these records must be added here too (the equality test fails until it is).
 */
final class HotFrames {
    static final byte[] OK = ascii("{\"type\":\"ok\"");
    static final byte[] PONG = ascii("{\"type\":\"pong\"");
    static final byte[] PING = ascii("{\"type\":\"ping\"");
    private static final byte[] REQUEST_ID = ascii(",\"requestId\":");
    private static final byte[] CHAT_ACK = ascii("{\"type\":\"chat.ack\"");
    private static final byte[] ROOM_ID = ascii(",\"roomId\":");
    private static final byte[] CLIENT_MSG_ID = ascii(",\"clientMsgId\":");
    private static final byte[] MESSAGE_ID = ascii(",\"messageId\":");
    private static final byte[] TS = ascii(",\"ts\":");
    private static final byte[] DUPLICATE = ascii(",\"duplicate\":");
    private static final byte[] CHAT_MESSAGE = ascii("{\"type\":\"chat.message\"");
    private static final byte[] MESSAGE = ascii(",\"message\":");
    private static final byte[] ID = ascii("{\"id\":");
    private static final byte[] FROM_MEMBER_ID = ascii(",\"fromMemberId\":");
    private static final byte[] FROM_USER_ID = ascii(",\"fromUserId\":");
    private static final byte[] FROM_NAME = ascii(",\"fromName\":");
    private static final byte[] TEXT = ascii(",\"text\":");
    private static final byte[] REPLY_TO = ascii(",\"replyTo\":");
    private static final byte[] EDITED_AT = ascii(",\"editedAt\":");
    private static final byte[] EDITED_BY = ascii(",\"editedBy\":");
    private static final byte[] EDIT_REASON = ascii(",\"editReason\":");
    private static final byte[] DELETED = ascii(",\"deleted\":");
    private static final byte[] DELETED_BY = ascii(",\"deletedBy\":");
    private static final byte[] DELETE_REASON = ascii(",\"deleteReason\":");
    private static final byte[] SIGNAL = ascii("{\"type\":\"live.signal\"");
    private static final byte[] FROM = ascii(",\"from\":");
    private static final byte[] KIND = ascii(",\"kind\":");
    private static final byte[] SDP = ascii(",\"sdp\":");
    private static final byte[] CANDIDATE = ascii(",\"candidate\":");
    private static final byte[] SDP_MID = ascii(",\"sdpMid\":");
    private static final byte[] SDP_MLINE_INDEX = ascii(",\"sdpMLineIndex\":");
    private static final byte[] ICE_RESTART = ascii(",\"iceRestart\":");

    private HotFrames() {
    }

    /** {@code {"type":…,"requestId":…}}: ok, pong, ping (whose requestId is always null). */
    static void typeAndRequestId(byte[] typePrefix, String requestId, JsonBytes out) {
        out.raw(typePrefix);
        string(REQUEST_ID, requestId, out);
        out.raw((byte) '}');
    }

    static void chatAck(ServerMessage.ChatAck ack, JsonBytes out) {
        out.raw(CHAT_ACK);
        string(REQUEST_ID, ack.requestId(), out);
        string(ROOM_ID, ack.roomId(), out);
        string(CLIENT_MSG_ID, ack.clientMsgId(), out);
        out.raw(MESSAGE_ID);
        out.number(ack.messageId());
        out.raw(TS);
        out.number(ack.ts());
        out.raw(DUPLICATE);
        out.bool(ack.duplicate());
        out.raw((byte) '}');
    }

    static void chatPosted(RoomEvent.ChatPosted event, JsonBytes out) {
        out.raw(CHAT_MESSAGE);
        string(ROOM_ID, event.roomId(), out);
        ChatMessageView m = event.message();
        if (m != null) {
            out.raw(MESSAGE);
            out.raw(ID);
            out.number(m.id());
            out.raw(TS);
            out.number(m.ts());
            string(FROM_MEMBER_ID, m.fromMemberId(), out);
            string(FROM_USER_ID, m.fromUserId(), out);
            string(FROM_NAME, m.fromName(), out);
            string(TEXT, m.text(), out);
            if (m.replyTo() != null) {
                out.raw(REPLY_TO);
                out.number(m.replyTo());
            }
            string(CLIENT_MSG_ID, m.clientMsgId(), out);
            changes(m, out);
            out.raw((byte) '}');
        }
        out.raw((byte) '}');
    }

    /** The edit and delete fields of a message; a new message has none of them. */
    private static void changes(ChatMessageView m, JsonBytes out) {
        if (m.editedAt() != null) {
            out.raw(EDITED_AT);
            out.number(m.editedAt());
        }
        string(EDITED_BY, m.editedBy(), out);
        string(EDIT_REASON, m.editReason(), out);
        if (m.deleted() != null) {
            out.raw(DELETED);
            out.bool(m.deleted());
        }
        string(DELETED_BY, m.deletedBy(), out);
        string(DELETE_REASON, m.deleteReason(), out);
    }

    static void signal(RoomEvent.Signal s, JsonBytes out) {
        out.raw(SIGNAL);
        string(ROOM_ID, s.roomId(), out);
        string(FROM, s.from(), out);
        string(KIND, s.kind(), out);
        string(SDP, s.sdp(), out);
        string(CANDIDATE, s.candidate(), out);
        string(SDP_MID, s.sdpMid(), out);
        if (s.sdpMLineIndex() != null) {
            out.raw(SDP_MLINE_INDEX);
            out.number(s.sdpMLineIndex());
        }
        if (s.iceRestart() != null) {
            out.raw(ICE_RESTART);
            out.bool(s.iceRestart());
        }
        out.raw((byte) '}');
    }

    /** A string field, left out when null (the records are {@code NON_NULL}). */
    private static void string(byte[] name, String value, JsonBytes out) {
        if (value != null) {
            out.raw(name);
            out.string(value);
        }
    }
}
