package io.presence.signaling.session;

/** The outcome of an authentication attempt. */
public sealed interface AuthResult {

    record Accepted(Identity identity) implements AuthResult {
    }

    /** {@code reason} is shown to the client and used as a bounded metrics label: keep it a short fixed word. */
    record Rejected(String reason, String message) implements AuthResult {
    }

    static AuthResult accepted(Identity identity) {
        return new Accepted(identity);
    }

    static AuthResult rejected(String reason, String message) {
        return new Rejected(reason, message);
    }
}
