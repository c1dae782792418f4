package io.presence.signaling.session;

import java.util.Objects;

/** Who a session belongs to, as established by an {@link AuthProvider}. */
public record Identity(String userId, String displayName, String avatarUrl) {
    public Identity {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(displayName, "displayName");
        if (avatarUrl != null && !isAcceptableAvatarUrl(avatarUrl)) {
            throw new IllegalArgumentException("avatarUrl must be an http(s) URL");
        }
    }

    /**
     * Avatar URLs are shown by every member's client, so only plain web links are passed on: no {@code javascript:},
     * {@code data:} or other schemes a careless client might act on.
     */
    public static boolean isAcceptableAvatarUrl(String url) {
        String lower = url.toLowerCase(java.util.Locale.ROOT);
        return (lower.startsWith("https://") || lower.startsWith("http://")) && url.chars().noneMatch(c -> c <= ' ');
    }
}
