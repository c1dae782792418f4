package io.presence.signaling.session;

import io.presence.net.TokenBucket;
import io.presence.signaling.identity.Access;
import io.presence.signaling.identity.Principal;
import io.presence.signaling.identity.RoomAction;
import io.presence.signaling.invite.Invites;
import io.presence.signaling.protocol.AvatarPath;
import io.presence.signaling.protocol.ClientMessage;
import io.presence.signaling.protocol.ErrorCode;
import io.presence.signaling.protocol.Limit;
import io.presence.signaling.protocol.RoomListing;
import io.presence.signaling.protocol.ServerMessage;
import io.presence.signaling.identity.RoomRole;
import io.presence.signaling.room.DirectRoomId;
import io.presence.signaling.room.JoinClaim;
import io.presence.signaling.room.Reply;
import io.presence.signaling.room.Room;
import io.presence.signaling.room.RoomOpening;
import io.presence.signaling.runtime.Stages;
import io.presence.signaling.storage.RoomSummary;
import io.presence.signaling.storage.StorageErrors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Handles the requests of an open session: rate limit, configured limits, the access policy, then hands room
 * requests to the room.
 * Runs on the session's loop only (called by {@link Session#request}).
 */
final class SessionRequests {
    private static final Logger log = LoggerFactory.getLogger(SessionRequests.class);
    /** Page size when {@code chat.history} names no limit. */
    static final int DEFAULT_HISTORY_PAGE = 50;
    /** The {@code closing} reason for a connection whose session keeps sending above its message rate. */
    static final String RATE_LIMITED = "rate_limited";

    private final Session session;
    private final SessionContext context;
    private final SignalingSettings settings;
    private final TokenBucket bucket;
    private final RateLimitOffence offence;
    /** Rooms being created or opened for this session and not settled yet; they count against its room limit. */
    private int opening;

    SessionRequests(Session session, SessionContext context) {
        this.session = session;
        this.context = context;
        this.settings = context.settings();
        this.bucket = new TokenBucket(settings.messagesPerSecond(), settings.messageBurst(), context.time().nanos());
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
        if (!bucket.tryTake(1, context.time().nanos())) {
            slot.respond(ServerMessage.Error.limit(rid, Limit.MESSAGE_RATE, "more than "
                    + settings.messagesPerSecond() + " messages per second (burst " + settings.messageBurst() + ")"));
            if (offence.refused()) {
                from.close(RATE_LIMITED, "kept sending above the message rate limit");
                offence.reset();
            }
            return;
        }
        Handler<ClientMessage> handler = handlerFor(message.getClass());
        if (handler == null) {
            slot.respond(ServerMessage.Error.of(rid, ErrorCode.UNKNOWN_TYPE, "unhandled type '" + message.type() + "'"));
            return;
        }
        handler.handle(this, message, slot, new Reply(rid, slot));
    }

    // --- dispatch: one handler per request type, looked up by the message's class ---

    /** Handles one type of request on the session's loop; answers through {@code slot} or {@code reply}, once. */
    @FunctionalInterface
    interface Handler<M extends ClientMessage> {
        void handle(SessionRequests requests, M message, ResponseSlot slot, Reply reply);
    }

    /** A request about one room, handed to the room once it is found. */
    @FunctionalInterface
    private interface RoomRequest<M extends ClientMessage> {
        void handle(Room room, Session session, M message, Reply reply);
    }

    /**
     * Every request type a session handles after hello, by class. {@code ping} and {@code pong} are answered before
     * the rate limit, in {@link #handle}; every other permitted {@link ClientMessage} type has an entry
     * (SessionRequestsTest checks).
     */
    static final Map<Class<? extends ClientMessage>, Handler<?>> HANDLERS = handlers();

    private static Map<Class<? extends ClientMessage>, Handler<?>> handlers() {
        Map<Class<? extends ClientMessage>, Handler<?>> h = new HashMap<>();
        put(h, ClientMessage.SendChat.class, SessionRequests::sendChat);
        put(h, ClientMessage.Typing.class, inRoom(ClientMessage.Typing::roomId, RoomAction.TYPING,
                (room, s, m, reply) -> room.typing(s, s.id(), m.active(), reply)));
        put(h, ClientMessage.Signal.class, inRoom(ClientMessage.Signal::roomId, RoomAction.CALL_SIGNAL,
                (room, s, m, reply) -> room.signal(s, s.id(), m, reply)));
        put(h, ClientMessage.MediaState.class, inRoom(ClientMessage.MediaState::roomId, RoomAction.CALL_MEDIA_STATE,
                (room, s, m, reply) -> room.mediaState(s, s.id(), m, reply)));
        put(h, ClientMessage.JoinCall.class, inRoom(ClientMessage.JoinCall::roomId, RoomAction.CALL_JOIN,
                (room, s, m, reply) -> room.joinCall(s, s.id(), reply)));
        put(h, ClientMessage.LeaveCall.class, inRoom(ClientMessage.LeaveCall::roomId, RoomAction.CALL_LEAVE,
                (room, s, m, reply) -> room.leaveCall(s, s.id(), reply)));
        put(h, ClientMessage.RefreshCredentials.class, inRoom(ClientMessage.RefreshCredentials::roomId,
                RoomAction.CALL_REFRESH_CREDENTIALS,
                (room, s, m, reply) -> room.refreshCredentials(s, s.id(), reply)));
        put(h, ClientMessage.GetHistory.class, inRoom(ClientMessage.GetHistory::roomId, RoomAction.CHAT_HISTORY,
                (room, s, m, reply) -> room.history(s, s.id(), m.before(), m.after(),
                        m.limit() == null ? DEFAULT_HISTORY_PAGE : m.limit(), reply)));
        put(h, ClientMessage.JoinRoom.class, (r, m, slot, reply) -> r.joinRoom(slot, m, reply));
        put(h, ClientMessage.CreateRoom.class, (r, m, slot, reply) -> r.createRoom(slot, m.relayOnly(), reply));
        put(h, ClientMessage.LeaveRoom.class, SessionRequests::leaveRoom);
        put(h, ClientMessage.NameRoom.class, inRoom(ClientMessage.NameRoom::roomId, RoomAction.NAME,
                (room, s, m, reply) -> room.name(s, s.id(), m.name(), reply)));
        put(h, ClientMessage.ListRooms.class, (r, m, slot, reply) -> r.listRooms(slot, m.requestId()));
        put(h, ClientMessage.RenameRoom.class, inRoom(ClientMessage.RenameRoom::roomId, RoomAction.RENAME,
                (room, s, m, reply) -> room.rename(s, s.id(), m.name(), reply)));
        put(h, ClientMessage.CloseRoom.class, inRoom(ClientMessage.CloseRoom::roomId, RoomAction.CLOSE,
                (room, s, m, reply) -> room.close(s, s.id(), reply)));
        put(h, ClientMessage.UpdateRoomSettings.class, inRoom(ClientMessage.UpdateRoomSettings::roomId,
                RoomAction.SETTINGS, (room, s, m, reply) -> room.updateSettings(s, s.id(), m.relayOnly(), reply)));
        put(h, ClientMessage.UpdateProfile.class, SessionRequests::updateProfile);
        put(h, ClientMessage.EditChat.class, SessionRequests::editChat);
        put(h, ClientMessage.DeleteChat.class, inRoom(ClientMessage.DeleteChat::roomId, RoomAction.CHAT_DELETE,
                (room, s, m, reply) -> room.deleteChat(s, s.id(), m, reply)));
        put(h, ClientMessage.MarkRead.class, inRoom(ClientMessage.MarkRead::roomId, RoomAction.CHAT_READ,
                (room, s, m, reply) -> room.markRead(s, s.id(), m.messageId(), reply)));
        put(h, ClientMessage.KickMember.class, inRoom(ClientMessage.KickMember::roomId, RoomAction.KICK,
                (room, s, m, reply) -> room.kick(s, s.id(), m.userId(), m.reason(), reply)));
        put(h, ClientMessage.ChangeRole.class, inRoom(ClientMessage.ChangeRole::roomId, RoomAction.ROLE,
                (room, s, m, reply) -> room.changeRole(s, s.id(), m.userId(), RoomRole.fromWire(m.role()), reply)));
        put(h, ClientMessage.OpenDirect.class, SessionRequests::openDirect);
        put(h, ClientMessage.Bye.class, (r, m, slot, reply) -> {
            slot.respond(new ServerMessage.Ok(m.requestId()));
            r.session.end("bye", "the client said bye");
        });
        put(h, ClientMessage.RevokeUser.class, SessionRequests::revokeUser);
        put(h, ClientMessage.Hello.class, (r, m, slot, reply) -> slot.respond(ServerMessage.Error.of(m.requestId(),
                ErrorCode.ALREADY_AUTHENTICATED, "this connection already has a session")));
        putInviteHandlers(h);
        return Map.copyOf(h);
    }

    private static <M extends ClientMessage> void put(Map<Class<? extends ClientMessage>, Handler<?>> handlers,
                                                      Class<M> type, Handler<M> handler) {
        handlers.put(type, handler);
    }

    @SuppressWarnings("unchecked") // the table maps each class to a handler of exactly that class (see put)
    private static Handler<ClientMessage> handlerFor(Class<? extends ClientMessage> type) {
        return (Handler<ClientMessage>) HANDLERS.get(type);
    }

    /** {@code admin.revoke}: server admins only; the count is of the sessions ended, this one included. */
    private static void revokeUser(SessionRequests r, ClientMessage.RevokeUser m, ResponseSlot slot, Reply reply) {
        Principal admin = r.session.principal();
        if (!admin.serverAdmin()) {
            slot.respond(ServerMessage.Error.of(m.requestId(), ErrorCode.FORBIDDEN,
                    "only a server admin may revoke a user"));
            return;
        }
        // Answered before the sessions end: an admin revoking their own user still hears how many ended.
        int sessions = r.context.manager().sessionsOf(m.userId());
        slot.respond(new ServerMessage.UserRevoked(m.requestId(), m.userId(), sessions));
        r.context.manager().revokeUser(m.userId(), "admin.revoke by " + admin.userId());
    }

    /**
     * A handler that asks the access policy, finds the room the request names (or answers {@code unknown_room}) and
     * hands the request to it.
     */
    private static <M extends ClientMessage> Handler<M> inRoom(Function<M, String> roomId, RoomAction action,
                                                               RoomRequest<M> request) {
        return (r, m, slot, reply) -> {
            String id = roomId.apply(m);
            if (!r.allowed(slot, m.requestId(), action, id)) {
                return;
            }
            Room room = r.findRoom(slot, m.requestId(), id);
            if (room != null) {
                request.handle(room, r.session, m, reply);
            }
        };
    }

    /** Asks the access policy; a refusal is answered here ({@code forbidden}). */
    private boolean allowed(ResponseSlot slot, String rid, RoomAction action, String roomId) {
        Access access = context.access().check(session.principal(), action, roomId);
        if (access == Access.GRANTED) {
            return true;
        }
        String message = access instanceof Access.Refused r ? r.message() : "not allowed";
        slot.respond(ServerMessage.Error.of(rid, ErrorCode.FORBIDDEN, message));
        return false;
    }

    // --- invites: answered by the invites (a store round trip), not by a room ---

    private static void putInviteHandlers(Map<Class<? extends ClientMessage>, Handler<?>> h) {
        put(h, ClientMessage.CreateInvite.class, managingInvites(ClientMessage.CreateInvite::roomId,
                RoomAction.INVITE_CREATE, (invites, p, m) -> invites.create(p, m)));
        put(h, ClientMessage.RevokeInvite.class, managingInvites(ClientMessage.RevokeInvite::roomId,
                RoomAction.INVITE_REVOKE, (invites, p, m) -> invites.revoke(p, m)));
        put(h, ClientMessage.ListInvites.class, managingInvites(ClientMessage.ListInvites::roomId,
                RoomAction.INVITE_LIST, (invites, p, m) -> invites.list(p, m)));
        put(h, ClientMessage.RedeemInvite.class, (r, m, slot, reply) -> r.answerFromInvites(slot, m.requestId(),
                r.context.invites().redeem(r.session.principal(), m.requestId(), m.token())));
        put(h, ClientMessage.PendingInvites.class, (r, m, slot, reply) -> r.answerFromInvites(slot, m.requestId(),
                r.context.invites().pending(r.session.principal(), m.requestId())));
        put(h, ClientMessage.AcceptInvite.class, (r, m, slot, reply) -> r.answerFromInvites(slot, m.requestId(),
                r.context.invites().accept(r.session.principal(), m.requestId(), m.inviteId())));
        put(h, ClientMessage.DeclineInvite.class, (r, m, slot, reply) -> r.answerFromInvites(slot, m.requestId(),
                r.context.invites().decline(r.session.principal(), m.requestId(), m.inviteId())));
    }

    /** A request about a room's invites: the access policy first, then the invites (which check the role). */
    @FunctionalInterface
    private interface InviteRequest<M extends ClientMessage> {
        CompletionStage<ServerMessage> handle(Invites invites, Principal principal, M message);
    }

    private static <M extends ClientMessage> Handler<M> managingInvites(Function<M, String> roomId,
                                                                        RoomAction action, InviteRequest<M> request) {
        return (r, m, slot, reply) -> {
            if (r.allowed(slot, m.requestId(), action, roomId.apply(m))) {
                r.answerFromInvites(slot, m.requestId(), request.handle(r.context.invites(), r.session.principal(), m));
            }
        };
    }

    /** The invites answer on a storage thread: the response goes out from the session's loop. */
    private void answerFromInvites(ResponseSlot slot, String rid, CompletionStage<ServerMessage> answer) {
        Stages.continueOn(answer, session.home(), (message, failure) -> {
            if (failure != null) {
                log.warn("session {}: an invite request failed", session.id(), failure);
                slot.respond(ServerMessage.Error.of(rid, ErrorCode.INTERNAL, "the invite request failed"));
            } else {
                slot.respond(message);
            }
        });
    }

    // --- the handlers that do more than hand the request to a room ---

    private void sendChat(ClientMessage.SendChat c, ResponseSlot slot, Reply reply) {
        if (c.text().length() > settings.maxTextLength()) {
            slot.respond(ServerMessage.Error.limit(c.requestId(), Limit.TEXT_LENGTH, "text longer than "
                    + settings.maxTextLength() + " characters"));
            return;
        }
        if (!allowed(slot, c.requestId(), RoomAction.CHAT_SEND, c.roomId())) {
            return;
        }
        Room room = findRoom(slot, c.requestId(), c.roomId());
        if (room != null) {
            room.chat(session, session.id(), c, reply);
        }
    }

    /** The same text limit as {@code chat.send}: an edit cannot smuggle in a longer message. */
    private void editChat(ClientMessage.EditChat e, ResponseSlot slot, Reply reply) {
        if (e.text().length() > settings.maxTextLength()) {
            slot.respond(ServerMessage.Error.limit(e.requestId(), Limit.TEXT_LENGTH, "text longer than "
                    + settings.maxTextLength() + " characters"));
            return;
        }
        if (!allowed(slot, e.requestId(), RoomAction.CHAT_EDIT, e.roomId())) {
            return;
        }
        Room room = findRoom(slot, e.requestId(), e.roomId());
        if (room != null) {
            room.editChat(session, session.id(), e, reply);
        }
    }

    private void leaveRoom(ClientMessage.LeaveRoom l, ResponseSlot slot, Reply reply) {
        if (!allowed(slot, l.requestId(), RoomAction.LEAVE, l.roomId())) {
            return;
        }
        Room room = session.rooms().remove(l.roomId());
        if (room == null) {
            room = context.rooms().loaded(l.roomId());
        }
        if (room == null) {
            unknownRoom(slot, l.requestId(), l.roomId());
        } else {
            room.leave(session, session.id(), "left", reply);
        }
    }

    private void listRooms(ResponseSlot slot, String rid) {
        if (!allowed(slot, rid, RoomAction.LIST, null)) {
            return;
        }
        Stages.continueOn(context.rooms().roomsOf(session.principal().userId()), session.home(), (rooms, failure) -> {
            if (failure != null) {
                log.warn("session {}: listing rooms failed: {}", session.id(), StorageErrors.describe(failure));
                slot.respond(ServerMessage.Error.of(rid, StorageErrors.codeOf(failure), "the rooms could not be listed"));
                return;
            }
            List<RoomListing> listings = new ArrayList<>(rooms.size());
            for (RoomSummary room : rooms) {
                listings.add(room.direct()
                        ? new RoomListing(room.roomId(), null, room.unread(), true, room.with())
                        : new RoomListing(room.roomId(), room.name(), room.unread()));
            }
            slot.respond(new ServerMessage.RoomList(rid, listings));
        });
    }

    private void updateProfile(ClientMessage.UpdateProfile u, ResponseSlot slot, Reply reply) {
        String rid = u.requestId();
        if (u.displayName() != null && u.displayName().isBlank()) {
            slot.respond(ServerMessage.Error.of(rid, ErrorCode.INVALID_FIELD, "field 'displayName' must not be blank"));
            return;
        }
        if (u.avatarUrl() != null && !Principal.isAcceptableAvatarUrl(u.avatarUrl())) {
            slot.respond(ServerMessage.Error.of(rid, ErrorCode.INVALID_FIELD, "field 'avatarUrl' " + AvatarPath.RULE));
            return;
        }
        session.profile(session.profile().withChanges(u.displayName(), u.avatarUrl()));
        for (Room room : session.rooms().values()) {
            room.updateProfile(session.profile());
        }
        slot.respond(new ServerMessage.Ok(rid));
    }

    private void createRoom(ResponseSlot slot, Boolean relayOnly, Reply reply) {
        if (!allowed(slot, reply.requestId(), RoomAction.CREATE, null)) {
            return;
        }
        if (session.rooms().size() + opening >= settings.roomsPerSession()) {
            roomsLimit(slot, reply.requestId());
            return;
        }
        settle(context.rooms().create(relayOnly, session.loop(), session.principal()), (room, failure) -> {
            if (failure != null) {
                failed(slot, reply.requestId(), "the room could not be created", failure);
            } else if (session.hasEnded()) {
                room.unloadIfEmpty();
            } else {
                session.rooms().put(room.id(), room);
                room.join(session, session.profile(), JoinClaim.of(session.principal(), room.id()).asCreator(),
                        reply);
            }
        });
    }

    private void joinRoom(ResponseSlot slot, ClientMessage.JoinRoom join, Reply reply) {
        String rid = reply.requestId();
        if (!allowed(slot, rid, RoomAction.JOIN, join.roomId())) {
            return;
        }
        settle(context.rooms().open(join.roomId(), session.principal()),
                (opened, failure) -> enter(slot, rid, opened, failure, reply));
    }

    /**
     * {@code room.direct}: the caller's direct room with another signed-in user, found or created, and joined. A
     * guest has none, and nobody has one with themself.
     */
    private void openDirect(ClientMessage.OpenDirect direct, ResponseSlot slot, Reply reply) {
        String rid = reply.requestId();
        if (!allowed(slot, rid, RoomAction.DIRECT, null)) {
            return;
        }
        Principal me = session.principal();
        if (me.guest()) {
            slot.respond(new ServerMessage.Error(rid, ErrorCode.FORBIDDEN.wire(), "a guest has no direct rooms",
                    null, "guest"));
            return;
        }
        if (direct.userId().equals(me.userId())) {
            slot.respond(ServerMessage.Error.of(rid, ErrorCode.INVALID_FIELD,
                    "field 'userId' names the caller: a direct room is between two users"));
            return;
        }
        if (session.rooms().size() + opening >= settings.roomsPerSession()) {
            roomsLimit(slot, rid);
            return;
        }
        String other = direct.userId();
        // Not loaded: this request creates the room, or reloads it after everyone left it. Either way the other
        // user may not list it yet, so their online sessions hear of it (a client that lists it already ignores
        // the event); a loaded direct room has a session of one of the two in it, and they know it.
        boolean announce = context.rooms().loaded(DirectRoomId.of(me.userId(), other)) == null;
        settle(context.rooms().openDirect(me, other), (opened, failure) -> {
            enter(slot, rid, opened, failure, reply);
            if (announce && failure == null && opened instanceof RoomOpening.Opened o) {
                context.manager().roomListed(other, new RoomListing(o.room().id(), null, 0, true, me.userId()));
            }
        });
    }

    /** Joins the room a join or a direct room opened, with the claims the sign-in brings into it. */
    private void enter(ResponseSlot slot, String rid, RoomOpening opened, Throwable failure, Reply reply) {
        if (failure != null) {
            failed(slot, rid, "the room could not be opened", failure);
            return;
        }
        if (opened instanceof RoomOpening.Refused refused) {
            slot.respond(ServerMessage.Error.of(rid, ErrorCode.UNKNOWN_ROOM, refused.message()));
            return;
        }
        Room room = ((RoomOpening.Opened) opened).room();
        if (session.hasEnded()) {
            room.unloadIfEmpty();
            return;
        }
        if (!session.rooms().containsKey(room.id())
                && session.rooms().size() + opening >= settings.roomsPerSession()) {
            roomsLimit(slot, rid);
            return;
        }
        // Counted at once so that concurrent joins cannot overshoot the limit; the room's
        // MemberSink.detached call takes it back if the room refuses.
        session.rooms().put(room.id(), room);
        room.join(session, session.profile(), JoinClaim.of(session.principal(), room.id()), reply);
    }

    /**
     * Continues with the directory's answer on the session's loop: at once when it is complete (the in-memory
     * directory's case), else when it completes; meanwhile the room counts against the session's room limit.
     */
    private <T> void settle(CompletionStage<T> stage, BiConsumer<T, Throwable> then) {
        CompletableFuture<T> future = stage.toCompletableFuture();
        if (future.isDone()) {
            then.accept(Stages.valueOf(future), Stages.failureOf(future));
            return;
        }
        opening++;
        Stages.continueOn(future, session.home(), (value, failure) -> {
            opening--;
            then.accept(value, failure);
        });
    }

    /**
     * A room that could not be created or opened: a store that cannot answer now (a persistent room loading while
     * the database is away) is {@code storage_unavailable} with one log line; anything else {@code internal}.
     */
    private void failed(ResponseSlot slot, String rid, String what, Throwable failure) {
        ErrorCode code = StorageErrors.codeOf(failure);
        if (code == ErrorCode.INTERNAL) {
            log.warn("session {}: {}", session.id(), what, failure);
        } else {
            log.warn("session {}: {}: {}", session.id(), what, StorageErrors.describe(failure));
        }
        slot.respond(ServerMessage.Error.of(rid, code, what));
    }

    private Room findRoom(ResponseSlot slot, String rid, String roomId) {
        Room room = context.rooms().loaded(roomId);
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
