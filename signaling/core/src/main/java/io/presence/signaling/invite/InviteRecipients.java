package io.presence.signaling.invite;

import io.presence.signaling.protocol.InviteView;

/**
 * Where a targeted invite is announced to its user while they are online (the sessions); the user finds it later
 * in {@code invite.pending} either way. Implementations return at once and never block.
 */
@FunctionalInterface
public interface InviteRecipients {

    InviteRecipients NONE = (userId, invite) -> { };

    void received(String userId, InviteView invite);
}
