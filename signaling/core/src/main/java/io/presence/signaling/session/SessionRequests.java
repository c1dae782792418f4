package io.presence.signaling.session;

import io.presence.signaling.protocol.AvatarPath;
import io.presence.signaling.protocol.ClientMessage;
import io.presence.signaling.protocol.ErrorCode;
import io.presence.signaling.protocol.Limit;
import io.presence.signaling.protocol.ServerMessage;
import io.presence.signaling.room.Reply;
import io.presence.signaling.room.Room;

/**
 * Handles the requests of an open session: rate limit, configured limits, then hands room requests to the room.
 * Runs on the session's loop only (called by {@link Session#request}).
 */
final class SessionRequests {
    /** Page size when {@code chat.history} names no limit. */
    static final int DEFAULT_HISTORY_PAGE = 50;
    /** The {@code closing} reason for a connection whose session keeps sending above its message rate. */
    static final String RATE_LIMITED = "rate_limited";

    private final Session session;
    private final SessionContext context;
    private final SignalingSettings settings;
    private final TokenBucket bucket;
    private final RateLimitOffence offence;

    SessionRequests(Session session, SessionContext context) {
        this.session = session;
        this.context = context;
        this.settings = context.settings();
        this.bucket = new TokenBucket(settings.messagesPerSecond(), settings.messageBurst(), context.time()::nanos);
        this.offence = new RateLimitOffence(settings.messagesPerSecond(), settings.rateLimitCloseAfter(),
                context.time()::nanos);
    }

    /** Handles one request; its response, whatever path it takes, goes to {@code slot} exactly once. */
    void handle(Connection from, ResponseSlot slot, ClientMessage message) {
        String rid = message.requestId();
        if (message instanceof ClientMessage.Pong) {
            slot.respond(null);
            return;
        }
        if (message instanceof ClientMessage.Ping) {
            slot.respond(new ServerMessage.Pong(rid)); // free: not counted against the rate
            return;
        }
        if (!bucket.tryTake()) {
            slot.respond(ServerMessage.Error.limit(rid, Limit.MESSAGE_RATE, "more than "
                    + settings.messagesPerSecond() + " messages per second (burst " + settings.messageBurst() + ")"));
            if (offence.refused()) {
                from.close(RATE_LIMITED, "kept sending above the message rate limit");
                offence.reset();
            }
            return;
        }
        Reply reply = new Reply(rid, slot);
        // Java 17: no pattern switch yet; the chain is ordered by expected frequency.
        if (message instanceof ClientMessage.SendChat c) {
            if (c.text().length() > settings.maxTextLength()) {
                slot.respond(ServerMessage.Error.limit(rid, Limit.TEXT_LENGTH, "text longer than "
                        + settings.maxTextLength() + " characters"));
                return;
            }
            Room room = findRoom(slot, rid, c.roomId());
            if (room != null) {
                room.chat(session, session.id(), c, reply);
            }
        } else if (message instanceof ClientMessage.Typing t) {
            Room room = findRoom(slot, rid, t.roomId());
            if (room != null) {
                room.typing(session, session.id(), t.active(), reply);
            }
        } else if (message instanceof ClientMessage.Signal sig) {
            Room room = findRoom(slot, rid, sig.roomId());
            if (room != null) {
                room.signal(session, session.id(), sig, reply);
            }
        } else if (message instanceof ClientMessage.MediaState ms) {
            Room room = findRoom(slot, rid, ms.roomId());
            if (room != null) {
                room.mediaState(session, session.id(), ms, reply);
            }
        } else if (message instanceof ClientMessage.JoinCall jc) {
            Room room = findRoom(slot, rid, jc.roomId());
            if (room != null) {
                room.joinCall(session, session.id(), reply);
            }
        } else if (message instanceof ClientMessage.LeaveCall lc) {
            Room room = findRoom(slot, rid, lc.roomId());
            if (room != null) {
                room.leaveCall(session, session.id(), reply);
            }
        } else if (message instanceof ClientMessage.RefreshCredentials rc) {
            Room room = findRoom(slot, rid, rc.roomId());
            if (room != null) {
                room.refreshCredentials(session, session.id(), reply);
            }
        } else if (message instanceof ClientMessage.GetHistory g) {
            Room room = findRoom(slot, rid, g.roomId());
            if (room != null) {
                room.history(session, session.id(), g.before(),
                        g.limit() == null ? DEFAULT_HISTORY_PAGE : g.limit(), reply);
            }
        } else if (message instanceof ClientMessage.JoinRoom j) {
            joinRoom(slot, j, reply);
        } else if (message instanceof ClientMessage.CreateRoom c) {
            createRoom(slot, c.relayOnly(), reply);
        } else if (message instanceof ClientMessage.LeaveRoom l) {
            Room room = session.rooms().remove(l.roomId());
            if (room == null) {
                room = context.rooms().find(l.roomId());
            }
            if (room == null) {
                unknownRoom(slot, rid, l.roomId());
            } else {
                room.leave(session, session.id(), "left", reply);
            }
        } else if (message instanceof ClientMessage.UpdateProfile u) {
            if (u.displayName() != null && u.displayName().isBlank()) {
                slot.respond(ServerMessage.Error.of(rid, ErrorCode.INVALID_FIELD,
                        "field 'displayName' must not be blank"));
                return;
            }
            if (u.avatarUrl() != null && !Identity.isAcceptableAvatarUrl(u.avatarUrl())) {
                slot.respond(ServerMessage.Error.of(rid, ErrorCode.INVALID_FIELD, "field 'avatarUrl' " + AvatarPath.RULE));
                return;
            }
            session.profile(session.profile().withChanges(u.displayName(), u.avatarUrl()));
            for (Room room : session.rooms().values()) {
                room.updateProfile(session.profile());
            }
            slot.respond(new ServerMessage.Ok(rid));
        } else if (message instanceof ClientMessage.Bye) {
            slot.respond(new ServerMessage.Ok(rid));
            session.end("bye", "the client said bye");
        } else if (message instanceof ClientMessage.Hello) {
            slot.respond(ServerMessage.Error.of(rid, ErrorCode.ALREADY_AUTHENTICATED,
                    "this connection already has a session"));
        } else {
            slot.respond(ServerMessage.Error.of(rid, ErrorCode.UNKNOWN_TYPE, "unhandled type '" + message.type() + "'"));
        }
    }

    private void createRoom(ResponseSlot slot, Boolean relayOnly, Reply reply) {
        if (session.rooms().size() >= settings.roomsPerSession()) {
            roomsLimit(slot, reply.requestId());
            return;
        }
        Room room = context.rooms().create(relayOnly, session.loop());
        session.rooms().put(room.id(), room);
        room.join(session, session.profile(), true, reply);
    }

    private void joinRoom(ResponseSlot slot, ClientMessage.JoinRoom join, Reply reply) {
        Room room = context.rooms().find(join.roomId());
        if (room == null) {
            unknownRoom(slot, reply.requestId(), join.roomId());
            return;
        }
        if (!session.rooms().containsKey(room.id()) && session.rooms().size() >= settings.roomsPerSession()) {
            roomsLimit(slot, reply.requestId());
            return;
        }
        // Counted at once so that concurrent joins cannot overshoot the limit; the room's
        // MemberSink.detached call takes it back if the room refuses.
        session.rooms().put(room.id(), room);
        room.join(session, session.profile(), false, reply);
    }

    private Room findRoom(ResponseSlot slot, String rid, String roomId) {
        Room room = context.rooms().find(roomId);
        if (room == null) {
            unknownRoom(slot, rid, roomId);
        }
        return room;
    }

    private void unknownRoom(ResponseSlot slot, String rid, String roomId) {
        slot.respond(ServerMessage.Error.of(rid, ErrorCode.UNKNOWN_ROOM, "no room with id '" + abbreviate(roomId)
                + "'"));
    }

    private void roomsLimit(ResponseSlot slot, String rid) {
        slot.respond(ServerMessage.Error.limit(rid, Limit.ROOMS_PER_SESSION, "a session may be in at most "
                + settings.roomsPerSession() + " rooms"));
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }
}
