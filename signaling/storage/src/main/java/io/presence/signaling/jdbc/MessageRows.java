package io.presence.signaling.jdbc;

import io.presence.signaling.protocol.ChatMessageView;

import java.sql.ResultSet;
import java.sql.SQLException;

/** How a row of {@code messages} reads as a chat message. */
final class MessageRows {
    static final String SELECT = "SELECT id, ts, member_id, user_id, user_name, body, reply_to, client_msg_id"
            + " FROM messages";

    private MessageRows() {
    }

    static ChatMessageView read(ResultSet rs) throws SQLException {
        long replyTo = rs.getLong(7);
        Long reply = rs.wasNull() ? null : replyTo;
        return new ChatMessageView(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), reply, rs.getString(8));
    }
}
