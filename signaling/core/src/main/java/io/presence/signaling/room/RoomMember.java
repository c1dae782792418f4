package io.presence.signaling.room;

import io.presence.signaling.identity.RoomRole;
import io.presence.signaling.protocol.MemberView;
import io.presence.signaling.runtime.Cancellable;

/** One member session in a room; loop-confined like the room that holds it. */
final class RoomMember {
    final MemberSink sink;
    MemberProfile profile;
    /** The role it holds; changed by {@code room.role} for every session of the user at once. */
    RoomRole role;
    /** The session's principal administers the server: it acts with owner rights ({@link RoomRights#acting}). */
    final boolean serverAdmin;
    String state = Room.STATE_ONLINE;
    Cancellable typingExpiry;

    RoomMember(MemberSink sink, MemberProfile profile, RoomRole role, boolean serverAdmin) {
        this.sink = sink;
        this.profile = profile;
        this.role = role;
        this.serverAdmin = serverAdmin;
    }

    /** Stops the typing indicator's expiry, without telling anyone. */
    void cancelTyping() {
        if (typingExpiry != null) {
            typingExpiry.cancel();
            typingExpiry = null;
        }
    }

    /** The role whose rights it acts with. */
    RoomRole acting() {
        return RoomRights.acting(role, serverAdmin);
    }

    MemberView view() {
        return new MemberView(profile.memberId(), profile.userId(), profile.displayName(), profile.avatarUrl(),
                state, role.wire());
    }
}
