package io.presence.signaling.room;

/** Who a member is, as shown to the other members. {@code memberId} is the member's public session id. */
public record MemberProfile(String memberId, String userId, String displayName, String avatarUrl) {

    public MemberProfile withChanges(String newDisplayName, String newAvatarUrl) {
        return new MemberProfile(memberId, userId, newDisplayName == null ? displayName : newDisplayName,
                newAvatarUrl == null ? avatarUrl : newAvatarUrl);
    }
}
