package io.presence.signaling.invite;

import io.presence.signaling.protocol.ErrorCode;
import io.presence.signaling.storage.Redemption;

/**
 * Why an invite was not let through, as the client and the metrics see it. An unknown token gets its own code:
 * the token is a 128-bit secret, so learning that a guessed one is unknown teaches nothing, while telling a user
 * "this link was mistyped" from "this link was revoked" helps them.
 *
 * @param reason the {@code reason} label of {@code presence_invites_rejected_total}, and of a guest's failed
 *               sign-in
 */
public record InviteRefusal(ErrorCode code, String reason, String message) {
    public static final InviteRefusal UNKNOWN = new InviteRefusal(ErrorCode.INVITE_UNKNOWN, "unknown",
            "no invite has that token");
    public static final InviteRefusal EXPIRED = new InviteRefusal(ErrorCode.INVITE_EXPIRED, "expired",
            "the invite has expired");
    public static final InviteRefusal USED = new InviteRefusal(ErrorCode.INVITE_USED, "used",
            "the invite was for one use and has been used");
    public static final InviteRefusal REVOKED = new InviteRefusal(ErrorCode.INVITE_REVOKED, "revoked",
            "the invite was revoked");
    public static final InviteRefusal NOT_YOURS = new InviteRefusal(ErrorCode.FORBIDDEN, "forbidden",
            "this invite is for someone else");

    static InviteRefusal of(Redemption outcome) {
        return switch (outcome) {
            case UNKNOWN -> UNKNOWN;
            case EXPIRED -> EXPIRED;
            case USED -> USED;
            case REVOKED -> REVOKED;
            case REDEEMED -> throw new IllegalArgumentException("a redemption that went through is no refusal");
        };
    }
}
