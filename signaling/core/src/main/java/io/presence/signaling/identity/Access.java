package io.presence.signaling.identity;

import java.util.Objects;

/** An {@link AccessPolicy}'s answer. */
public sealed interface Access {

    /** Allowed; one shared instance, so that a check on the chat path allocates nothing. */
    Access GRANTED = new Granted();

    final class Granted implements Access {
        private Granted() {
        }
    }

    /**
     * Refused; the client gets the error {@code forbidden} with {@code message}.
     *
     * @param reason a short fixed word for logs and metrics ({@code not_invited}, {@code guest}, ...)
     */
    record Refused(String reason, String message) implements Access {
        public Refused {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(message, "message");
        }
    }

    static Access refused(String reason, String message) {
        return new Refused(reason, message);
    }
}
