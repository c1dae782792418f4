package io.presence.signaling.identity;

import io.presence.signaling.protocol.AvatarPath;

import java.util.Map;
import java.util.Objects;

/**
 * Who a session belongs to, and what its {@link AuthProvider} vouches for: the user's id and how others see them,
 * and the claims an {@link AccessPolicy} decides on. Immutable; fixed for the session's life (a profile update
 * changes how others see the member, not the claims).
 *
 * @param userId      stable id of the user (the provider's namespace, e.g. {@code dev:Ann})
 * @param displayName the name others see first
 * @param avatarUrl   one of this appliance's avatar paths, or null
 * @param serverAdmin may administer this server
 * @param guest       signed in without an account (an invite, a link)
 * @param roomRoles   role per room id the provider grants (e.g. {@code owner}); rooms not named grant nothing
 * @param onlyRoom    the one room this sign-in is good for (a token's {@code room} claim), or null for any; see
 *                    {@link RoomClaim}
 */
public record Principal(String userId, String displayName, String avatarUrl, boolean serverAdmin, boolean guest,
                        Map<String, String> roomRoles, String onlyRoom) {

    /**
     * The user-id namespace of guests (the {@code guest} provider): a guest is shown to a room as {@code guest}
     * whatever it claims.
     */
    public static final String GUEST_USER_PREFIX = "guest:";

    /** A principal good for any room. */
    public Principal(String userId, String displayName, String avatarUrl, boolean serverAdmin, boolean guest,
                     Map<String, String> roomRoles) {
        this(userId, displayName, avatarUrl, serverAdmin, guest, roomRoles, null);
    }

    public Principal {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(displayName, "displayName");
        if (avatarUrl != null && !isAcceptableAvatarUrl(avatarUrl)) {
            throw new IllegalArgumentException("avatarUrl " + AvatarPath.RULE);
        }
        roomRoles = Map.copyOf(roomRoles);
    }

    /** A user with no claims beyond who they are: no admin, no guest, no room grants. */
    public static Principal user(String userId, String displayName, String avatarUrl) {
        return new Principal(userId, displayName, avatarUrl, false, false, Map.of());
    }

    /** The role the provider grants in {@code roomId}, or null. */
    public String roleIn(String roomId) {
        return roomRoles.get(roomId);
    }

    /** Every member's client fetches the avatar: only this appliance's own avatar paths ({@link AvatarPath}). */
    public static boolean isAcceptableAvatarUrl(String url) {
        return AvatarPath.isAcceptable(url);
    }
}
