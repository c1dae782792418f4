package io.presence.signaling.session;

import io.presence.signaling.identity.Principal;
import io.presence.signaling.protocol.AvatarPath;
import io.presence.signaling.protocol.ClientMessage;
import io.presence.signaling.protocol.ErrorCode;
import io.presence.signaling.protocol.RoomEvent;
import io.presence.signaling.protocol.ServerMessage;
import io.presence.signaling.protocol.ServerMessage.EventFrame;
import io.presence.signaling.protocol.Tokens;
import io.presence.signaling.room.MemberProfile;
import io.presence.signaling.room.MemberSink;
import io.presence.signaling.room.Reply;
import io.presence.signaling.room.Room;
import io.presence.signaling.runtime.Cancellable;
import io.presence.signaling.runtime.Loop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One participant's session: its connection, its numbered event stream with the replay buffer, its rooms, and
 * its resume grace window.
 *
 * <p>Concurrency: owned by one loop at a time ({@link SessionLoop}): the loop of the connection that opened it, then
 * of the newest connection that resumed it. Public methods may be called from any thread and hop onto that loop;
 * the fields below are touched there only. Everything the session
 * sends therefore leaves in one order, its connection's {@link ResponseOrder}: responses in request order, events
 * in sequence order.
 */
public final class Session implements MemberSink {
    private static final Logger log = LoggerFactory.getLogger(Session.class);

    enum State { ACTIVE, DETACHED, ENDED }

    /** The {@code closing} reason for a connection another one took over (resume) or a newer session ended. */
    static final String REPLACED = "replaced";
    /** The {@code closing} and session-end reason after {@link SessionManager#revokeUser}. */
    static final String REVOKED = "revoked";

    private final String id;
    /** Where the state below lives; a resume on another loop's connection moves it there. */
    private final SessionLoop home;
    private final Principal principal;
    private final SessionContext context;
    private final SessionRequests requests;
    /** What the connection's response order writes through: this session's {@link #send} and overflow. */
    private final ResponseOrder.Output writer = new ResponseOrder.Output() {
        @Override
        public void send(Connection connection, ServerMessage message) {
            Session.this.send(connection, message);
        }

        @Override
        public void overflowed(Connection connection) {
            Session.this.overflowed(connection);
        }
    };

    // Loop-confined state.
    private MemberProfile profile;
    /** The connection and its response order; null while detached or ended. A resume replaces both. */
    private ResponseOrder output;
    private final EventLog events;
    private final Map<String, Room> rooms = new LinkedHashMap<>();
    private State state = State.ACTIVE;
    /** The session's only secret; replaced at every resume, so a token works once. */
    private String resumeToken;
    private long seqAtDetach;
    private Cancellable graceTimer;

    Session(String id, String resumeToken, Loop loop, Principal principal, SessionContext context) {
        this.id = id;
        this.resumeToken = resumeToken;
        this.home = new SessionLoop(loop);
        this.principal = principal;
        this.context = context;
        this.profile = new MemberProfile(id, principal.userId(), principal.displayName(), avatarOf(principal));
        this.events = new EventLog(context.settings().resumeBufferEvents());
        this.requests = new SessionRequests(this, context);
    }

    /**
     * The avatar the principal chose (one of this appliance's), else the appliance's pixel avatar for the user id:
     * every member shows one, and every one is served here.
     */
    static String avatarOf(Principal principal) {
        if (principal.avatarUrl() != null) {
            return principal.avatarUrl();
        }
        return principal.guest() ? AvatarPath.forGuest(principal.userId())
                : AvatarPath.forUser(principal.userId());
    }

    /** The public id: other members see it as the member id. Not a secret. */
    public String id() {
        return id;
    }

    String resumeToken() {
        return resumeToken;
    }

    /**
     * The loop work for this session goes to (the loop of its newest connection, once a move there is under way);
     * rooms batch what they send it per loop ({@link MemberSink#loop}).
     */
    @Override
    public Loop loop() {
        return home.target();
    }

    /** Runs {@code task} on the session's loop, wherever the session lives by then; at once when already there. */
    void execute(Runnable task) {
        home.execute(task);
    }

    /** The session's state's loop, as a {@link Loop} that follows the session when it moves. */
    Loop home() {
        return home;
    }

    /** Who the session belongs to and the claims access is decided on; fixed for the session's life. */
    Principal principal() {
        return principal;
    }

    MemberProfile profile() {
        return profile;
    }

    void profile(MemberProfile updated) {
        this.profile = updated;
    }

    /** Whether the session has ended (on its loop). */
    boolean hasEnded() {
        return state == State.ENDED;
    }

    Map<String, Room> rooms() {
        return rooms;
    }

    /**
     * A request from this session's connection; its response takes the next place in the connection's order.
     * Callers pass requests and refusals of one connection in the order they were received.
     */
    public void request(Connection from, ClientMessage message) {
        if (home.inLoop()) {
            requestOnLoop(from, message);
        } else {
            onLoop(() -> requestOnLoop(from, message));
        }
    }

    private void requestOnLoop(Connection from, ClientMessage message) {
        if (state != State.ENDED && output != null && output.connection() == from) {
            requests.handle(from, output.reserve(), message);
        }
    }

    /**
     * A frame of this session's connection refused before it became a request (malformed, too large): the error is
     * its response, in order with the responses to the requests around it.
     */
    public void refuse(Connection from, ServerMessage.Error error) {
        onLoop(() -> {
            if (state != State.ENDED && output != null && output.connection() == from) {
                output.reserve().respond(error);
            }
        });
    }

    /** A connection of this session closed (any reason). */
    public void connectionClosed(Connection connection) {
        onLoop(() -> {
            if (output == null || output.connection() != connection) {
                return;
            }
            output = null;
            if (state != State.ACTIVE) {
                return;
            }
            state = State.DETACHED;
            seqAtDetach = events.lastSeq();
            for (Room room : rooms.values()) {
                room.setConnected(id, false);
            }
            graceTimer = home.schedule(() -> end("timeout", "the resume grace window expired"),
                    context.settings().resumeGrace());
            log.debug("session {} detached at seq {}", id, seqAtDetach);
        });
    }

    // --- called by SessionManager, on this session's loop ---

    void attachFirst(Connection connection, String requestId, int version) {
        output = new ResponseOrder(writer, connection, maxWaiting());
        connection.opened(this, welcome(requestId, false, version));
    }

    /**
     * Resume: {@code connection} takes the session over (an older connection gets {@code closing} /
     * {@code replaced}), the token is replaced by a new one that the welcome carries, and every event after
     * {@code lastSeq} is replayed. Returns false if impossible; nothing changes then.
     *
     * @param connectionLoop the connection's loop: the session moves there
     * @param token the token the client presented; checked again here because the manager looked it up before
     *              the hop to this loop, and a concurrent resume may have used it up in between
     */
    boolean resume(Connection connection, Loop connectionLoop, String token, String requestId, int version,
                   long lastSeq) {
        if (!isCurrentToken(token)) {
            connection.helloRejected(ServerMessage.Error.of(requestId, ErrorCode.RESUME_FAILED,
                    SessionManager.UNKNOWN_TOKEN), false);
            return false;
        }
        if (state == State.ENDED) {
            connection.helloRejected(ServerMessage.Error.of(requestId, ErrorCode.RESUME_FAILED,
                    "the session has ended"), false);
            return false;
        }
        if (!events.canReplayAfter(lastSeq)) {
            String why = lastSeq > events.lastSeq()
                    ? "lastSeq " + lastSeq + " is ahead of the session's last event " + events.lastSeq()
                    : "events after " + lastSeq + " are no longer buffered (oldest is " + events.firstSeq() + ")";
            connection.helloRejected(ServerMessage.Error.of(requestId, ErrorCode.RESUME_FAILED, why), false);
            return false;
        }
        if (graceTimer != null) {
            graceTimer.cancel();
            graceTimer = null;
        }
        // One connection per session: only the newest connection knows the current token, so an older one could
        // not resume again; it is told why it is closed instead of being left to time out. Responses it still
        // waits for are dropped with its order.
        if (output != null) {
            Connection older = output.connection();
            output = null;
            older.close(REPLACED, "a newer connection resumed this session");
        }
        resumeToken = context.manager().replaceToken(this, resumeToken);
        // Before the welcome: the connection's requests then go to its own loop at once, and wait there for the
        // state. The rooms' barriers keep their events in order across the move.
        List<Consumer<Runnable>> senders = new ArrayList<>(rooms.size());
        for (Room room : rooms.values()) {
            senders.add(room::barrier);
        }
        home.moveTo(connectionLoop, senders);
        output = new ResponseOrder(writer, connection, maxWaiting());
        connection.opened(this, welcome(requestId, true, version));
        connection.replay(events.after(lastSeq));
        if (state == State.DETACHED) {
            state = State.ACTIVE;
            for (Room room : rooms.values()) {
                room.setConnected(id, true);
            }
        }
        for (Room room : rooms.values()) {
            room.sessionResumed(id);
        }
        log.debug("session {} resumed from seq {} to {} on {}", id, lastSeq, events.lastSeq(), connection.id());
        return true;
    }

    private boolean isCurrentToken(String token) {
        // Constant time: the token is a secret, and this compares it against one a client chose.
        return token != null && MessageDigest.isEqual(token.getBytes(StandardCharsets.US_ASCII),
                resumeToken.getBytes(StandardCharsets.US_ASCII));
    }

    /** Ends the session now: leaves every room, closes every connection, kills the resume token. Idempotent. */
    void end(String reason, String message) {
        if (state == State.ENDED) {
            return;
        }
        state = State.ENDED;
        if (graceTimer != null) {
            graceTimer.cancel();
            graceTimer = null;
        }
        String leaveReason = switch (reason) {
            case "bye" -> "bye";
            case "timeout" -> "timeout";
            default -> "ended";
        };
        for (Room room : rooms.values()) {
            room.leave(this, id, leaveReason, Reply.NONE);
        }
        rooms.clear();
        if (output != null) {
            Connection c = output.connection();
            output = null;
            c.close(reason, message);
        }
        context.ended(this, reason);
        // Debug, not info: a mass drop ends thousands of sessions at once; the metrics carry the counts.
        log.debug("session {} ended: {} (token {})", id, reason, Tokens.redact(resumeToken));
    }

    /** Ends the session from any thread. */
    public void endAsync(String reason, String message) {
        onLoop(() -> end(reason, message));
    }

    /**
     * Ends the session because its user's sign-in was revoked, from any thread: the connection hears an
     * {@code error} {@code revoked} first, so that a client knows not to sign in again on its own, then closes.
     */
    void revokeAsync(String message) {
        onLoop(() -> {
            if (state != State.ENDED && output != null) {
                output.send(ServerMessage.Error.of(null, ErrorCode.REVOKED, message));
            }
            end(REVOKED, message);
        });
    }

    // --- MemberSink: called by rooms from their loops ---

    // Called once per member per room event: on the session's loop (rooms batch per loop, see FanOut) the work is
    // done inline, without allocating the hop's lambda.
    @Override
    public void event(RoomEvent event) {
        if (home.inLoop()) {
            eventOnLoop(event);
        } else {
            onLoop(() -> eventOnLoop(event));
        }
    }

    private void eventOnLoop(RoomEvent event) {
        if (state == State.ENDED) {
            return;
        }
        EventFrame frame = events.append(event);
        if (state == State.DETACHED && frame.seq() - seqAtDetach > events.capacity()) {
            end("resume_buffer_overflow", "more events arrived during the grace window than can be buffered");
            return;
        }
        if (output != null) {
            output.send(frame);
        }
    }

    // A room request sent without requestId asked for no success response (PROTOCOL.md): only its errors go out.
    // Its place in the response order is still filled (with nothing), or the responses behind it would wait forever.
    @Override
    public void reply(Reply to, ServerMessage message) {
        if (!(to.connection() instanceof ResponseSlot slot)) {
            return;
        }
        ServerMessage response = to.requestId() == null && !(message instanceof ServerMessage.Error) ? null : message;
        if (home.inLoop()) {
            replyOnLoop(slot, response);
        } else {
            onLoop(() -> replyOnLoop(slot, response));
        }
    }

    private void replyOnLoop(ResponseSlot slot, ServerMessage response) {
        if (slot.order() == output) {
            slot.respond(response);
        }
    }

    @Override
    public void detached(String roomId) {
        onLoop(() -> rooms.remove(roomId));
    }

    // --- helpers ---

    void send(Connection connection, ServerMessage message) {
        if (connection.send(message) && message instanceof ServerMessage.Error e) {
            context.metrics().error(e.code());
        }
    }

    private int maxWaiting() {
        SignalingSettings s = context.settings();
        return Math.max(s.outboundQueueMessages(), s.resumeBufferEvents());
    }

    /** The connection's response order overflowed: what waits behind a missing response grew past its bound. */
    void overflowed(Connection connection) {
        // Debug, not warn: only a client pipelining that much behind one request gets here.
        log.debug("session {}: more than {} frames waiting behind a response on {}: closing it", id, maxWaiting(),
                connection.id());
        context.metrics().slowConsumerClosed(connection.transport());
        connection.abort("slow_consumer");
    }

    private ServerMessage.Welcome welcome(String requestId, boolean resumed, int version) {
        SignalingSettings s = context.settings();
        return new ServerMessage.Welcome(requestId, version, id, profile.userId(), resumeToken,
                resumed, events.lastSeq(), s.pingInterval().toMillis(), s.resumeGrace().toMillis(), context.limits());
    }

    private void onLoop(Runnable task) {
        home.execute(task);
    }

    @Override
    public String toString() {
        return "Session[" + id + "]";
    }
}
