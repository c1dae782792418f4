package io.presence.signaling.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A stored chat message. {@code id} is assigned by the room, increasing; {@code ts} is epoch milliseconds.
 * {@code text} is plain text: the server never renders or trusts HTML, clients must escape it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ChatMessageView(long id, long ts, String fromMemberId, String fromUserId, String fromName, String text,
                              Long replyTo, String clientMsgId) {
}
