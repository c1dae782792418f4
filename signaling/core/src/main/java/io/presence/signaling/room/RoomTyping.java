package io.presence.signaling.room;

import io.presence.signaling.protocol.RoomEvent;
import io.presence.signaling.runtime.Loop;

import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A room's typing indicators: {@code member.typing} on when a member starts, off when it stops, sends, loses its
 * connection, or says nothing for the typing timeout. Each member session's expiry lives on its {@link RoomMember}.
 *
 * <p>Concurrency: owned by one {@link Room} and touched on the room's loop alone; expiries are scheduled there.
 */
final class RoomTyping {
    private final String roomId;
    private final Loop loop;
    private final Duration timeout;
    /** The room's present member sessions, read here and changed by the room alone. */
    private final Map<String, RoomMember> members;
    private final Consumer<RoomEvent> broadcast;

    RoomTyping(String roomId, Loop loop, Duration timeout, Map<String, RoomMember> members,
               Consumer<RoomEvent> broadcast) {
        this.roomId = roomId;
        this.loop = loop;
        this.timeout = timeout;
        this.members = members;
        this.broadcast = broadcast;
    }

    /** The member is typing ({@code active}, which restarts its timeout) or stopped. */
    void typing(RoomMember member, boolean active) {
        if (!active) {
            clear(member);
            return;
        }
        String memberId = member.profile.memberId();
        boolean wasActive = member.typingExpiry != null;
        member.cancelTyping();
        member.typingExpiry = loop.schedule(() -> {
            member.typingExpiry = null;
            if (members.get(memberId) == member) {
                broadcast.accept(new RoomEvent.MemberTyping(roomId, memberId, false));
            }
        }, timeout);
        if (!wasActive) {
            broadcast.accept(new RoomEvent.MemberTyping(roomId, memberId, true));
        }
    }

    /** Ends the member's indicator, if on, and tells the room. */
    void clear(RoomMember member) {
        if (member.typingExpiry != null) {
            member.cancelTyping();
            broadcast.accept(new RoomEvent.MemberTyping(roomId, member.profile.memberId(), false));
        }
    }
}
