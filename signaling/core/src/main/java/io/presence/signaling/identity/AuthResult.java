package io.presence.signaling.identity;

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
    }

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
