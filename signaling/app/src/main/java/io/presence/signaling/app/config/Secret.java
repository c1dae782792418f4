package io.presence.signaling.app.config;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A secret configuration value. It never renders itself: {@link #toString()} is a fixed placeholder, so
 * a secret passed to a logger or into an exception message by mistake shows nothing.
 */
public final class Secret {

    private final String value;
    private final String source;

    public Secret(String value, String source) {
        this.value = Objects.requireNonNull(value);
        this.source = Objects.requireNonNull(source);
    }

    /** The secret itself, for the one component that needs it. Do not log it. */
    public String reveal() {
        return value;
    }

    public byte[] bytes() {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    /** Where it came from ("config file", "PRESENCE_TURN_SECRETS", "file /run/secrets/x", "generated"). */
    public String source() {
        return source;
    }

    @Override
    public String toString() {
        return "<secret from " + source + ">";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret s && s.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }
}
