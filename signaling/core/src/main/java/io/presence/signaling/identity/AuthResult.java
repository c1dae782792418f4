package io.presence.signaling.identity;

/** The outcome of an authentication attempt. */
public sealed interface AuthResult {

    record Accepted(Principal principal) implements AuthResult {
    }

    /** {@code reason} is shown to the client and used as a bounded metrics label: keep it a short fixed word. */
    record Rejected(String reason, String message) implements AuthResult {
    }

    static AuthResult accepted(Principal principal) {
        return new Accepted(principal);
    }

    static AuthResult rejected(String reason, String message) {
        return new Rejected(reason, message);
    }
}
