package io.presence.signaling.storage;

import io.presence.signaling.protocol.ChatMessageView;

/** A chat message the room accepted, before its store gave it an id. {@code ts}: epoch ms of acceptance. */
public record ChatDraft(long ts, String fromMemberId, String fromUserId, String fromName, String text, Long replyTo,
                        String clientMsgId) {

    /** The stored message, under the id its store assigned. */
    public ChatMessageView withId(long id) {
        return new ChatMessageView(id, ts, fromMemberId, fromUserId, fromName, text, replyTo, clientMsgId);
    }
}
