package io.presence.signaling.room;

import io.presence.signaling.identity.Access;
import io.presence.signaling.identity.RoomAction;
import io.presence.signaling.protocol.ErrorCode;
import io.presence.signaling.protocol.ServerMessage;

import java.util.Map;
import java.util.function.Supplier;

/**
 * {@link RoomRights} applied to a room's present members: finds the member a request comes from, checks what it may
 * do here, and answers the request itself when it may not ({@code not_in_room}, {@code forbidden},
 * {@code unknown_member}); a request a room write in flight would race waits for it ({@link RoomWrites}). Kept
 * apart so that every request of the room passes the same prelude and is refused in the same words.
 *
 * <p>Concurrency: owned by one {@link Room} and called on the room's loop alone; it reads the room's members and
 * changes nothing.
 */
final class RoomAccess {
    private final String roomId;
    private final Map<String, RoomMember> members;
    private final Supplier<RoomKind> kind;
    private final RoomWrites writes;

    /**
     * @param members the room's own map, read on its loop
     * @param kind    the room's kind now (naming changes it)
     */
    RoomAccess(String roomId, Map<String, RoomMember> members, Supplier<RoomKind> kind, RoomWrites writes) {
        this.roomId = roomId;
        this.members = members;
        this.kind = kind;
        this.writes = writes;
    }

    /**
     * The prelude of a request that a room write would race: the member if it may do {@code action} here and no
     * write is in flight; null when the request was answered ({@link #allowed}) or waits for the write, after which
     * {@code retry} asks again.
     */
    RoomMember allowedNow(MemberSink sink, String memberId, RoomAction action, Reply reply, Runnable retry) {
        RoomMember member = allowed(sink, memberId, action, reply);
        return member == null || writes.deferred(retry) ? null : member;
    }

    /**
     * The member if it is one and may do {@code action} here; else null after answering {@code not_in_room} or
     * {@code forbidden}.
     */
    RoomMember allowed(MemberSink sink, String memberId, RoomAction action, Reply reply) {
        RoomMember member = members.get(memberId);
        if (member == null) {
            notMember(sink, reply);
            return null;
        }
        return refused(sink, reply, RoomRights.may(member.role, member.serverAdmin, kind.get(), action))
                ? null : member;
    }

    /**
     * Whether a member of the room may not do {@code action} here (answered {@code forbidden}); the call answers
     * a session that is no member itself.
     */
    boolean refused(MemberSink sink, String memberId, RoomAction action, Reply reply) {
        return members.containsKey(memberId) && allowed(sink, memberId, action, reply) == null;
    }

    /** Whether {@code access} refuses, answered {@code forbidden} with its reason. */
    static boolean refused(MemberSink sink, Reply reply, Access access) {
        if (access instanceof Access.Refused refused) {
            sink.reply(reply, new ServerMessage.Error(reply.requestId(), ErrorCode.FORBIDDEN.wire(),
                    refused.message(), null, refused.reason()));
            return true;
        }
        return false;
    }

    void notMember(MemberSink sink, Reply reply) {
        sink.reply(reply, ServerMessage.Error.of(reply.requestId(), ErrorCode.NOT_IN_ROOM,
                "not a member of room " + roomId));
    }

    void unknownMember(MemberSink sink, Reply reply, String userId) {
        sink.reply(reply, ServerMessage.Error.of(reply.requestId(), ErrorCode.UNKNOWN_MEMBER,
                "no member '" + RoomDirectory.abbreviate(userId) + "' in room " + roomId));
    }
}
