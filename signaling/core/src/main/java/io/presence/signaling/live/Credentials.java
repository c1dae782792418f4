package io.presence.signaling.live;

import java.time.Instant;
import java.util.Objects;

/**
 * TURN credentials minted for one participant of one room. {@code toString()} never shows the password.
 *
 * @param username   the TURN username (for the REST scheme {@code <unix-expiry>:<room>:<participant>})
 * @param password   the TURN password (credential)
 * @param ttlSeconds lifetime the client is told, so it can ask for fresh ones in time
 * @param expiresAt  when the relay stops accepting them
 */
public record Credentials(String username, String password, long ttlSeconds, Instant expiresAt) {

    public Credentials {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(expiresAt, "expiresAt");
        if (username.isEmpty() || password.isEmpty()) {
            throw new IllegalArgumentException("username and password must not be empty");
        }
        if (ttlSeconds <= 0) {
            throw new IllegalArgumentException("ttlSeconds must be positive, was " + ttlSeconds);
        }
    }

    @Override
    public String toString() {
        return "Credentials[username=" + username + ", password=<redacted>, ttlSeconds=" + ttlSeconds
                + ", expiresAt=" + expiresAt + "]";
    }
}
