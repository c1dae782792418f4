package io.presence.signaling.storage;

import java.util.Objects;

/**
 * An invite to a persistent room as an {@link InviteStore} keeps it. The token itself is never kept: only its
 * SHA-256 ({@code tokenHash}, lower-case hex), by which a redemption finds the invite.
 *
 * @param targetUser      the one user a {@link InviteKind#TARGETED} invite is for; null for the other kinds
 * @param revokedAtMillis when it was revoked (or declined, or replaced by a newer public invite); null while not
 * @param uses            how many redemptions it let through
 */
public record InviteRecord(String id, String roomId, String tokenHash, InviteKind kind, String targetUser,
                           String createdBy, long createdAtMillis, long expiresAtMillis, Long revokedAtMillis,
                           int uses) {
    public InviteRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(roomId, "roomId");
        Objects.requireNonNull(tokenHash, "tokenHash");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(createdBy, "createdBy");
        if ((kind == InviteKind.TARGETED) != (targetUser != null)) {
            throw new IllegalArgumentException("a targeted invite, and only it, names a target user");
        }
    }

    public boolean revoked() {
        return revokedAtMillis != null;
    }

    public boolean expiredAt(long nowMillis) {
        return nowMillis >= expiresAtMillis;
    }
}
