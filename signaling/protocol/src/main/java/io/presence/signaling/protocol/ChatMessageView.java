package io.presence.signaling.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A stored chat message. {@code id} is assigned by the room, increasing; {@code ts} is epoch milliseconds.
 * {@code text} is plain text: the server never renders or trusts HTML, clients must escape it.
 *
 * <p>An edited message carries {@code editedAt} (epoch ms of the latest edit), {@code editReason} when one was
 * given, and {@code editedBy} when someone other than the sender edited it. A deleted message keeps its id, time,
 * sender and {@code replyTo}, has {@code deleted} true, {@code deletedBy}, {@code deleteReason} when given, and an
 * empty {@code text}: the body is wiped, not hidden. Absent fields are left out of the JSON.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ChatMessageView(long id, long ts, String fromMemberId, String fromUserId, String fromName, String text,
                              Long replyTo, String clientMsgId, Long editedAt, String editedBy, String editReason,
                              Boolean deleted, String deletedBy, String deleteReason) {

    /** A message as sent: neither edited nor deleted. */
    public ChatMessageView(long id, long ts, String fromMemberId, String fromUserId, String fromName, String text,
                           Long replyTo, String clientMsgId) {
        this(id, ts, fromMemberId, fromUserId, fromName, text, replyTo, clientMsgId, null, null, null, null, null,
                null);
    }

    /** True when the message was deleted (its text is wiped). */
    public static boolean isDeleted(ChatMessageView m) {
        return Boolean.TRUE.equals(m.deleted());
    }

    /**
     * This message with {@code newText}, edited at {@code at} by user {@code by}; {@code editedBy} is kept only
     * when that is not the sender.
     */
    public ChatMessageView withEdit(String newText, long at, String by, String reason) {
        return new ChatMessageView(id, ts, fromMemberId, fromUserId, fromName, newText, replyTo, clientMsgId, at,
                by == null || by.equals(fromUserId) ? null : by, reason, deleted, deletedBy, deleteReason);
    }

    /** This message deleted by user {@code by}: the text is wiped, the rest stays. */
    public ChatMessageView withDeletion(String by, String reason) {
        return new ChatMessageView(id, ts, fromMemberId, fromUserId, fromName, "", replyTo, clientMsgId, editedAt,
                editedBy, editReason, Boolean.TRUE, by, reason);
    }
}
