package io.presence.signaling.storage;

import java.util.Objects;

/** A user's membership of a persistent room, kept while the user is offline. */
public record RoomMembership(String userId, String role) {
    public RoomMembership {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(role, "role");
    }
}
