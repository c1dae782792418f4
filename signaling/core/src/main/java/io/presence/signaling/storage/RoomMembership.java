package io.presence.signaling.storage;

import java.util.Objects;

/**
 * A user's membership of a persistent room, kept while the user is offline.
 *
 * @param displayName the last display name the room saw for the user; null when none is known
 */
public record RoomMembership(String userId, String role, String displayName) {
    public RoomMembership {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(role, "role");
    }

    /** A membership without a known display name. */
    public RoomMembership(String userId, String role) {
        this(userId, role, null);
    }
}
