package io.presence.signaling.app.doctor;

import java.util.Locale;

/** One step's verdict in plain words. */
public record Finding(String step, Status status, String message) {

    public enum Status {
        OK, WARN, FAIL, SKIP;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    static Finding ok(String step, String message) {
        return new Finding(step, Status.OK, message);
    }

    static Finding warn(String step, String message) {
        return new Finding(step, Status.WARN, message);
    }

    static Finding fail(String step, String message) {
        return new Finding(step, Status.FAIL, message);
    }

    static Finding skip(String step, String message) {
        return new Finding(step, Status.SKIP, message);
    }
}
