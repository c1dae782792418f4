package io.presence.signaling.session;

import io.presence.signaling.protocol.AvatarPath;

import java.util.Objects;

/** Who a session belongs to, as established by an {@link AuthProvider}. */
public record Identity(String userId, String displayName, String avatarUrl) {
    public Identity {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(displayName, "displayName");
        if (avatarUrl != null && !isAcceptableAvatarUrl(avatarUrl)) {
            throw new IllegalArgumentException("avatarUrl " + AvatarPath.RULE);
        }
    }

    /** Every member's client fetches the avatar: only this appliance's own avatar paths ({@link AvatarPath}). */
    public static boolean isAcceptableAvatarUrl(String url) {
        return AvatarPath.isAcceptable(url);
    }
}
