package io.presence.signaling.identity;

import io.presence.signaling.protocol.ErrorCode;

import java.util.List;

/** The outcome of an authentication attempt. */
public sealed interface AuthResult {

    record Accepted(Principal principal) implements AuthResult {
    }

    /**
     * {@code reason} is shown to the client and used as a bounded metrics label: keep it a short fixed word.
     *
     * @param unavailable the provider could not decide (its identity service is down or slow), so the refusal says
     *                    nothing about the client: it does not count against the source in the sign-in throttle
     */
    record Rejected(String reason, String message, boolean unavailable) implements AuthResult {
        public Rejected(String reason, String message) {
            this(reason, message, false);
        }

        /**
         * The error code the hello is answered with: a guest's invite that was refused keeps its own code
         * ({@code invite_expired}, ...), so that the join page can tell the guest what happened; every other
         * refusal is {@code auth_failed}.
         */
        public ErrorCode code() {
            for (ErrorCode invite : INVITE_REFUSALS) {
                if (invite.wire().equals(reason)) {
                    return invite;
                }
            }
            return ErrorCode.AUTH_FAILED;
        }
    }

    /** The invite refusals a guest's hello may be answered with. */
    List<ErrorCode> INVITE_REFUSALS = List.of(ErrorCode.INVITE_UNKNOWN, ErrorCode.INVITE_EXPIRED,
            ErrorCode.INVITE_USED, ErrorCode.INVITE_REVOKED, ErrorCode.FORBIDDEN);

    static AuthResult accepted(Principal principal) {
        return new Accepted(principal);
    }

    static AuthResult rejected(String reason, String message) {
        return new Rejected(reason, message);
    }

    /** The provider could not decide now; see {@link Rejected#unavailable()}. */
    static AuthResult unavailable(String reason, String message) {
        return new Rejected(reason, message, true);
    }
}
