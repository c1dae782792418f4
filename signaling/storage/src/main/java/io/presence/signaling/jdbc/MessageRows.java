package io.presence.signaling.jdbc;

import io.presence.signaling.protocol.ChatMessageView;

import java.sql.ResultSet;
import java.sql.SQLException;

/** How a row of {@code messages} reads as a chat message, with its edit and delete columns. */
final class MessageRows {
    static final String SELECT = "SELECT id, ts, member_id, user_id, user_name, body, reply_to, client_msg_id,"
            + " edited_at, edited_by, edit_reason, deleted_at, deleted_by, delete_reason FROM messages";

    private MessageRows() {
    }

    static ChatMessageView read(ResultSet rs) throws SQLException {
        Long reply = nullableLong(rs, 7);
        Long editedAt = nullableLong(rs, 9);
        Long deletedAt = nullableLong(rs, 12);
        return new ChatMessageView(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), reply, rs.getString(8), editedAt, rs.getString(10), rs.getString(11),
                deletedAt == null ? null : Boolean.TRUE, rs.getString(13), rs.getString(14));
    }

    private static Long nullableLong(ResultSet rs, int column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }
}
