package io.presence.signaling.session;

import io.presence.signaling.live.SdpValidator;
import io.presence.signaling.identity.AccessPolicy;
import io.presence.signaling.identity.AuthProvider;
import io.presence.signaling.identity.AuthResult;
import io.presence.signaling.identity.InMemoryRevocationList;
import io.presence.signaling.identity.Principal;
import io.presence.signaling.identity.RevocationList;
import io.presence.signaling.invite.Invites;
import io.presence.signaling.protocol.ClientLimits;
import io.presence.signaling.protocol.ClientMessage;
import io.presence.signaling.protocol.ErrorCode;
import io.presence.signaling.protocol.InviteView;
import io.presence.signaling.protocol.RoomEvent;
import io.presence.signaling.protocol.RoomListing;
import io.presence.signaling.protocol.ServerMessage;
import io.presence.signaling.protocol.Tokens;
import io.presence.signaling.room.LiveServices;
import io.presence.signaling.room.RandomIds;
import io.presence.signaling.room.RoomDirectory;
import io.presence.signaling.runtime.Loop;
import io.presence.signaling.runtime.TimeSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Opens and resumes sessions: the {@code hello} handshake (version, authentication, resume token), and the
 * registry of live sessions by resume token.
 *
 * <p>Thread-safe: the registry is a concurrent map; each session's own state stays on its loop.
 */
public final class SessionManager {
    private static final Logger log = LoggerFactory.getLogger(SessionManager.class);
    /** 32 random bytes: 256 bits; tokens are never reused because they are never derived from anything. */
    static final int RESUME_TOKEN_BYTES = 32;
    static final int SESSION_ID_BYTES = 16;
    /** The same answer for a token never issued, one already replaced and one whose session ended. */
    static final String UNKNOWN_TOKEN = "unknown or expired resume token";
    /** The answer to a source refused by the {@link SignInThrottle}. */
    static final String TOO_MANY_FAILURES = "too many failed sign-ins, retry later";

    private final SignalingSettings settings;
    private final AuthProvider auth;
    private final SignalingMetrics metrics;
    private final SessionContext context;
    private final Map<String, Session> byToken = new ConcurrentHashMap<>();
    /** Only maintained when {@link SignalingSettings#singleSessionPerUser()} is set. */
    private final Map<String, Set<Session>> byUser = new ConcurrentHashMap<>();
    private final SignInThrottle throttle;
    private final SignInMetrics signIns;
    /** Every live session by user id, to announce targeted invites; see {@link #inviteReceived}. */
    private final Map<String, Set<Session>> online = new ConcurrentHashMap<>();
    private final RevocationList revocations;
    private volatile boolean draining;

    public SessionManager(SignalingSettings settings, AuthProvider auth, RoomDirectory rooms, AccessPolicy access,
                          SignalingMetrics metrics, TimeSource time) {
        this(settings, auth, rooms, access, metrics, time, new SignInThrottle(SignInThrottle.Settings.DEFAULT, time),
                SignInMetrics.noop());
    }

    /**
     * @param throttle slows down and refuses sources that fail to sign in too often
     * @param signIns  counts failed and throttled sign-ins
     */
    public SessionManager(SignalingSettings settings, AuthProvider auth, RoomDirectory rooms, AccessPolicy access,
                          SignalingMetrics metrics, TimeSource time, SignInThrottle throttle, SignInMetrics signIns) {
        this(settings, auth, rooms, access, metrics, time, throttle, signIns, Invites.unsupported(rooms, time),
                new InMemoryRevocationList());
    }

    /** @param invites the invites to persistent rooms sessions create, redeem and manage */
    public SessionManager(SignalingSettings settings, AuthProvider auth, RoomDirectory rooms, AccessPolicy access,
                          SignalingMetrics metrics, TimeSource time, SignInThrottle throttle, SignInMetrics signIns,
                          Invites invites) {
        this(settings, auth, rooms, access, metrics, time, throttle, signIns, invites, new InMemoryRevocationList());
    }

    /** @param revocations where {@link #revokeUser} records who was revoked when (the token providers consult it) */
    public SessionManager(SignalingSettings settings, AuthProvider auth, RoomDirectory rooms, AccessPolicy access,
                          SignalingMetrics metrics, TimeSource time, SignInThrottle throttle, SignInMetrics signIns,
                          RevocationList revocations) {
        this(settings, auth, rooms, access, metrics, time, throttle, signIns, Invites.unsupported(rooms, time),
                revocations);
    }

    /**
     * @param invites     the invites to persistent rooms sessions create, redeem and manage
     * @param revocations where {@link #revokeUser} records who was revoked when (the token providers consult it)
     */
    public SessionManager(SignalingSettings settings, AuthProvider auth, RoomDirectory rooms, AccessPolicy access,
                          SignalingMetrics metrics, TimeSource time, SignInThrottle throttle, SignInMetrics signIns,
                          Invites invites, RevocationList revocations) {
        this.revocations = revocations;
        this.throttle = throttle;
        this.signIns = signIns;
        this.settings = settings;
        this.auth = auth;
        this.metrics = metrics;
        this.context = new SessionContext(settings, limits(settings, rooms.live()), rooms, access, metrics,
                time, this, invites);
    }

    /** What the welcome advertises: every limit the server enforces on a client, as configured. */
    static ClientLimits limits(SignalingSettings s, LiveServices live) {
        return new ClientLimits(s.maxFrameBytes(), s.messagesPerSecond(), s.messageBurst(),
                s.rateLimitCloseAfter().toMillis(), s.roomsPerSession(), s.membersPerRoom(), live.meshCap(),
                s.maxTextLength(), ClientLimits.MAX_HISTORY_PAGE, live.sdpValidator().maxBytes(),
                SdpValidator.MAX_CANDIDATE_BYTES, ClientLimits.MAX_REQUEST_ID_LENGTH,
                SignalingSettings.MAX_HELD_DURING_HELLO, s.outboundQueueMessages(), s.resumeBufferEvents());
    }

    /**
     * Handles {@code hello} from a connection that has no session yet; the outcome reaches the connection as
     * {@link Connection#opened} or {@link Connection#helloRejected}.
     *
     * @param loop the connection's loop; a new session lives there, a resumed one moves there
     */
    public void hello(Connection connection, Loop loop, ClientMessage.Hello hello) {
        String rid = hello.requestId();
        if (!settings.versionSupported(hello.version())) {
            reject(connection, "unsupported_version", ServerMessage.Error.of(rid, ErrorCode.UNSUPPORTED_VERSION,
                    "protocol version " + hello.version() + " is not supported; this server speaks "
                            + settings.minProtocolVersion() + ".." + settings.maxProtocolVersion()), true);
            return;
        }
        if (hello.resume() != null) {
            resume(connection, loop, hello);
            return;
        }
        if (draining) {
            reject(connection, "draining", ServerMessage.Error.of(rid, ErrorCode.SERVER_DRAINING,
                    "the server is shutting down"), true);
            return;
        }
        SignInThrottle.Verdict verdict = throttle.before(connection.remoteAddress());
        if (verdict instanceof SignInThrottle.Verdict.Refuse) {
            signIns.refused();
            reject(connection, "auth_failed", ServerMessage.Error.of(rid, ErrorCode.AUTH_FAILED, TOO_MANY_FAILURES),
                    false);
        } else if (verdict instanceof SignInThrottle.Verdict.Delay d) {
            signIns.delayed();
            loop.schedule(() -> authenticate(connection, loop, hello), d.pause());
        } else {
            authenticate(connection, loop, hello);
        }
    }

    private void authenticate(Connection connection, Loop loop, ClientMessage.Hello hello) {
        String rid = hello.requestId();
        long started = context.time().millis();
        auth.authenticate(hello.auth()).whenComplete((result, failure) -> loop.execute(() -> {
            if (failure != null) {
                log.warn("authentication provider failed", failure);
                reject(connection, "auth_error", ServerMessage.Error.of(rid, ErrorCode.INTERNAL,
                        "authentication failed inside the server"), false);
            } else if (result instanceof AuthResult.Rejected r) {
                if (!r.unavailable()) {
                    throttle.failed(connection.remoteAddress());
                }
                signIns.failed(hello.auth().provider(), r.reason());
                reject(connection, "auth_failed", ServerMessage.Error.of(rid, r.code(), r.message()), false);
            } else if (result instanceof AuthResult.Accepted a && revokedSince(a.principal().userId(), started)) {
                signIns.failed(hello.auth().provider(), "revoked");
                reject(connection, "auth_failed", ServerMessage.Error.of(rid, ErrorCode.AUTH_FAILED,
                        "the sign-in was revoked while it was being checked"), false);
            } else if (result instanceof AuthResult.Accepted a) {
                open(connection, loop, a.principal(), hello, started);
            }
        }));
    }

    /** Whether {@code userId} was revoked at or after {@code millis}: a sign-in checked then proves nothing now. */
    private boolean revokedSince(String userId, long millis) {
        java.util.OptionalLong at = revocations.revokedAt(userId);
        return at.isPresent() && at.getAsLong() >= millis;
    }

    private void open(Connection connection, Loop loop, Principal principal, ClientMessage.Hello hello,
                      long started) {
        String token = RandomIds.next(RESUME_TOKEN_BYTES);
        Session session = new Session(RandomIds.next(SESSION_ID_BYTES), token, loop, principal, context);
        if (byToken.putIfAbsent(token, session) != null) {
            throw new IllegalStateException("resume token collision"); // 2^-256: a broken random source
        }
        metrics.sessionStarted();
        online.computeIfAbsent(principal.userId(), u -> ConcurrentHashMap.newKeySet()).add(session);
        if (settings.singleSessionPerUser()) {
            Set<Session> mine = byUser.computeIfAbsent(principal.userId(), u -> ConcurrentHashMap.newKeySet());
            for (Session previous : List.copyOf(mine)) {
                previous.endAsync(Session.REPLACED, "a newer session of the same user replaced this one");
            }
            mine.add(session);
        }
        session.attachFirst(connection, hello.requestId(), hello.version());
        // revokeUser records before it looks for sessions, and this session was registered before this check: a
        // revocation racing with this sign-in either finds the session or is seen here.
        if (revokedSince(principal.userId(), started)) {
            session.revokeAsync("an administrator revoked this sign-in");
        }
        log.debug("session {} opened for {} on {}", session.id(), principal.userId(), connection.id());
    }

    private void resume(Connection connection, Loop loop, ClientMessage.Hello hello) {
        ClientMessage.Resume resume = hello.resume();
        Session session = byToken.get(resume.token());
        if (session == null) {
            metrics.resume(false);
            log.debug("resume with unknown token {}", Tokens.redact(resume.token()));
            reject(connection, "resume_failed", ServerMessage.Error.of(hello.requestId(), ErrorCode.RESUME_FAILED,
                    UNKNOWN_TOKEN), false);
            return;
        }
        session.execute(() -> {
            boolean ok = session.resume(connection, loop, resume.token(), hello.requestId(), hello.version(),
                    resume.lastSeq());
            metrics.resume(ok);
            if (!ok) {
                metrics.handshakeFailed("resume_failed");
            }
        });
    }

    /**
     * Called by a session on its loop when it is resumed: registers a new token for it and makes {@code old}
     * unknown from then on.
     */
    String replaceToken(Session session, String old) {
        String token = RandomIds.next(RESUME_TOKEN_BYTES);
        if (byToken.putIfAbsent(token, session) != null) {
            throw new IllegalStateException("resume token collision"); // 2^-256: a broken random source
        }
        byToken.remove(old, session);
        return token;
    }

    private void reject(Connection connection, String reason, ServerMessage.Error error, boolean close) {
        metrics.handshakeFailed(reason);
        metrics.error(error.code());
        connection.helloRejected(error, close);
    }

    /** Called by a session on its loop once it has ended. */
    void sessionEnded(Session session, String reason) {
        if (byToken.remove(session.resumeToken(), session)) {
            metrics.sessionEnded(reason);
        }
        online.computeIfPresent(session.principal().userId(), (user, set) -> {
            set.remove(session);
            return set.isEmpty() ? null : set;
        });
        if (settings.singleSessionPerUser()) {
            byUser.computeIfPresent(session.profile().userId(), (user, set) -> {
                set.remove(session);
                return set.isEmpty() ? null : set;
            });
        }
    }

    /**
     * Announces a targeted invite to every live session of its user ({@code invite.received}); a session in its
     * resume grace window gets it on resume like any event. Thread-safe: each session takes it on its own loop.
     */
    public void inviteReceived(String userId, InviteView invite) {
        Set<Session> sessions = online.get(userId);
        if (sessions == null) {
            return;
        }
        RoomEvent.InviteReceived event = new RoomEvent.InviteReceived(invite.roomId(), invite);
        for (Session s : List.copyOf(sessions)) {
            s.event(event);
        }
    }

    /**
     * Tells every live session of {@code userId} that it is now a member of a room it did not ask for
     * ({@code room.listed}), as {@link #inviteReceived} does for invites. Thread-safe.
     */
    public void roomListed(String userId, RoomListing listing) {
        Set<Session> sessions = online.get(userId);
        if (sessions == null) {
            return;
        }
        RoomEvent.RoomListed event = new RoomEvent.RoomListed(listing.roomId(), listing);
        for (Session s : List.copyOf(sessions)) {
            s.event(event);
        }
    }

    /**
     * Revokes {@code userId}'s sign-in: records the moment in the {@link RevocationList} (tokens issued until now are
     * refused from then on), and ends every session of that user: each hears an {@code error} {@code revoked}, then
     * its connection closes; it leaves its rooms and calls (its relay credentials die with its call membership) and
     * cannot be resumed. Callable from any thread; the sessions end on their own loops, after this returns.
     *
     * @param reason for the log: who asked and why
     * @return how many sessions are ending
     */
    public int revokeUser(String userId, String reason) {
        if (userId == null || userId.isBlank()) {
            throw new IllegalArgumentException("userId must not be blank");
        }
        revocations.revoke(userId, context.time().millis()).whenComplete((ok, failure) -> {
            if (failure != null) {
                log.warn("the revocation of {} is in effect but not durable: {}", userId, failure.toString());
            }
        });
        List<Session> sessions = sessionList(userId);
        for (Session s : sessions) {
            s.revokeAsync("an administrator revoked this sign-in");
        }
        signIns.revoked(sessions.size());
        log.info("revoked {}: {} session(s) ending ({})", userId, sessions.size(), reason);
        return sessions.size();
    }

    /** How many live sessions {@code userId} has (detached ones waiting for a resume included). */
    public int sessionsOf(String userId) {
        return sessionList(userId).size();
    }

    private List<Session> sessionList(String userId) {
        // A resumed session is briefly under two tokens (see replaceToken): count it once.
        Set<Session> found = new java.util.LinkedHashSet<>();
        for (Session s : byToken.values()) {
            if (s.principal().userId().equals(userId)) {
                found.add(s);
            }
        }
        return List.copyOf(found);
    }

    /** Refuse new sessions from now on (resumes still work: clients finish what they were doing). */
    public void drain() {
        draining = true;
    }

    public boolean isDraining() {
        return draining;
    }

    public int activeSessions() {
        return byToken.size();
    }

    /** Ends every session (server shutdown). Sessions end on their own loops; this does not wait. */
    public void endAll(String reason) {
        draining = true;
        for (Session s : List.copyOf(byToken.values())) {
            s.endAsync(reason, "the server is shutting down");
        }
    }
}
