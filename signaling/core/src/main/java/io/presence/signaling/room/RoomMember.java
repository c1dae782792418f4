package io.presence.signaling.room;

import io.presence.signaling.protocol.MemberView;
import io.presence.signaling.runtime.Cancellable;

/** One member session in a room; loop-confined like the room that holds it. */
final class RoomMember {
    final MemberSink sink;
    MemberProfile profile;
    final String role;
    String state = Room.STATE_ONLINE;
    Cancellable typingExpiry;

    RoomMember(MemberSink sink, MemberProfile profile, String role) {
        this.sink = sink;
        this.profile = profile;
        this.role = role;
    }

    MemberView view() {
        return new MemberView(profile.memberId(), profile.userId(), profile.displayName(), profile.avatarUrl(),
                state, role);
    }
}
