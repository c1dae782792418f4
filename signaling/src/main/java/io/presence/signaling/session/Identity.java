package io.presence.signaling.session;

import java.util.Objects;

/** Who a session belongs to, as established by an {@link AuthProvider}. */
public record Identity(String userId, String displayName, String avatarUrl) {
    public Identity {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(displayName, "displayName");
    }
}
