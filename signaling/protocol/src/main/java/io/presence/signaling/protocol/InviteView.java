package io.presence.signaling.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An invite as {@code invite.list} and {@code invite.pending} show it: never its token. Times are epoch
 * milliseconds; {@code userId} is set for targeted invites only.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record InviteView(String inviteId, String roomId, String kind, String userId, String createdBy,
                         long createdAt, long expiresAt, int uses, boolean revoked) {
}
