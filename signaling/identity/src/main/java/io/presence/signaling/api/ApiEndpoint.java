package io.presence.signaling.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.presence.signaling.http.HttpEndpoint;
import io.presence.signaling.http.HttpRequest;
import io.presence.signaling.http.HttpResponse;
import io.presence.signaling.identity.Principal;
import io.presence.signaling.invite.Invites;
import io.presence.signaling.protocol.ClientMessage;
import io.presence.signaling.protocol.ErrorCode;
import io.presence.signaling.protocol.RoomListing;
import io.presence.signaling.protocol.RoomName;
import io.presence.signaling.protocol.ServerMessage;
import io.presence.signaling.room.Room;
import io.presence.signaling.room.RoomChangeRefused;
import io.presence.signaling.room.RoomDirectory;
import io.presence.signaling.room.RoomOpening;
import io.presence.signaling.runtime.TimeSource;
import io.presence.signaling.session.SignInThrottle;
import io.presence.signaling.session.UserRevoker;
import io.presence.signaling.storage.RoomMembership;
import io.presence.signaling.storage.StorageErrors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The host-platform API under {@value #PREFIX}: rooms created, renamed, closed and posted to by the platform that
 * embeds Presence, membership checks, sign-in tokens and revocation. Every request is authenticated first
 * ({@link ApiAuthenticator}); a source that keeps failing is slowed down and then refused ({@link SignInThrottle}).
 * Every refusal is a typed JSON error; see signaling/API.md for each route.
 *
 * <p>Runs on the event loop that read the request: every step is a stage of the room directory, the store or the
 * rooms, none blocks.
 */
public final class ApiEndpoint implements HttpEndpoint {
    /** Who the invites see creating a room's invite: the server itself, with a server admin's rights. */
    static final Principal API_PRINCIPAL = new Principal(RoomDirectory.CREATED_BY_SYSTEM, "system", null, true, false,
            java.util.Map.of());
    private static final Logger log = LoggerFactory.getLogger(ApiEndpoint.class);
    public static final String PREFIX = "/api/v1/";
    /** Bodies are JSON objects of a few fields; the listener's own cap (16 KiB) is the outer bound. */
    static final int MAX_BODY_BYTES = 8 * 1024;
    static final int MAX_MEMBERS = 1000;
    static final int MAX_USER_ID = 128;
    static final int MAX_TEXT = 4000;

    private final ObjectMapper json = new ObjectMapper();
    private final ApiAuthenticator auth;
    private final SignInThrottle throttle;
    private final RoomDirectory rooms;
    private final UserRevoker revoker;
    private final TokenIssuer tokens;
    private final ApiMetrics metrics;
    private final Invites invites;
    private final RoomAnnouncer announcer;

    /**
     * Tells a user's online sessions that they are now in a room they did not ask for. Must not block: it is called
     * on the event loop that read the request.
     */
    @FunctionalInterface
    public interface RoomAnnouncer {
        RoomAnnouncer NONE = (userId, listing) -> { };

        void roomListed(String userId, RoomListing listing);
    }

    /** @param tokens mints sign-in tokens; null when the server has no signing key (minting is then refused) */
    public ApiEndpoint(ApiSettings settings, TimeSource time, RoomDirectory rooms, UserRevoker revoker,
                       TokenIssuer tokens, ApiMetrics metrics) {
        this(settings, time, rooms, revoker, tokens, metrics, null);
    }

    /** @param invites makes a created room's public invite; null: rooms are created without one */
    public ApiEndpoint(ApiSettings settings, TimeSource time, RoomDirectory rooms, UserRevoker revoker,
                       TokenIssuer tokens, ApiMetrics metrics, Invites invites) {
        this(settings, time, rooms, revoker, tokens, metrics, invites, RoomAnnouncer.NONE);
    }

    /** @param announcer tells each member of a room created here that it is in it ({@code room.listed}) */
    public ApiEndpoint(ApiSettings settings, TimeSource time, RoomDirectory rooms, UserRevoker revoker,
                       TokenIssuer tokens, ApiMetrics metrics, Invites invites, RoomAnnouncer announcer) {
        this.invites = invites;
        this.announcer = announcer == null ? RoomAnnouncer.NONE : announcer;
        this.auth = new ApiAuthenticator(settings, time, new SeenSignatures(SeenSignatures.DEFAULT_CAPACITY));
        this.throttle = new SignInThrottle(settings.throttle(), time);
        this.rooms = rooms;
        this.revoker = revoker;
        this.tokens = tokens;
        this.metrics = metrics;
    }

    /** A refusal that ends a request: its status, code and message go out as a typed error. */
    static final class Refusal extends RuntimeException {
        final int status;
        final String code;

        Refusal(int status, String code, String message) {
            super(message, null, false, false);
            this.status = status;
            this.code = code;
        }

        HttpResponse response() {
            return HttpResponse.error(status, code, getMessage());
        }
    }

    @Override
    public CompletionStage<HttpResponse> handle(HttpRequest request) {
        Route route = Route.of(request);
        SignInThrottle.Verdict verdict = throttle.before(request.remoteAddress());
        if (verdict instanceof SignInThrottle.Verdict.Refuse) {
            return done(route, HttpResponse.error(429, "rate_limited",
                    "too many failed authentications from this address; retry later").withHeader("Retry-After",
                    "60"));
        }
        if (verdict instanceof SignInThrottle.Verdict.Delay d) {
            // Slows a guesser down without holding the event loop: the answer waits on the JDK's timer.
            return CompletableFuture.supplyAsync(() -> null,
                            CompletableFuture.delayedExecutor(d.pause().toMillis(), TimeUnit.MILLISECONDS))
                    .thenCompose(ignored -> authenticated(route, request));
        }
        return authenticated(route, request);
    }

    private CompletionStage<HttpResponse> authenticated(Route route, HttpRequest request) {
        ApiAuthenticator.Verdict verdict = auth.check(request);
        if (!verdict.granted()) {
            throttle.failed(request.remoteAddress());
            return done(route, HttpResponse.error(401, "unauthorized", verdict.refusal())
                    .withHeader("WWW-Authenticate", "Bearer"));
        }
        CompletionStage<HttpResponse> answer;
        try {
            answer = dispatch(route, request);
        } catch (Refusal r) {
            answer = CompletableFuture.completedFuture(r.response());
        }
        return answer.exceptionally(failure -> failed(route, failure))
                .thenApply(response -> {
                    metrics.answered(route.name, response.status());
                    return response;
                });
    }

    private CompletionStage<HttpResponse> done(Route route, HttpResponse response) {
        metrics.answered(route.name, response.status());
        return CompletableFuture.completedFuture(response);
    }

    private static HttpResponse failed(Route route, Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof Refusal r) {
            return r.response();
        }
        if (cause instanceof RoomChangeRefused r) {
            return HttpResponse.error(statusOf(r.code()), r.code().wire(), r.getMessage());
        }
        ErrorCode code = StorageErrors.codeOf(cause);
        if (code == ErrorCode.INTERNAL) {
            log.warn("API {} failed", route.name, cause);
            return HttpResponse.error(500, "internal", "the server failed to answer this request");
        }
        return HttpResponse.error(statusOf(code), code.wire(), code.description());
    }

    static int statusOf(ErrorCode code) {
        return switch (code) {
            case UNKNOWN_ROOM -> 404;
            case NOT_PERSISTENT -> 409;
            case NOT_SUPPORTED -> 501;
            case STORAGE_UNAVAILABLE -> 503;
            default -> 500;
        };
    }

    // --- routes

    /**
     * The route a request names, by its path's shape and method; {@code name} is the metrics label (and picks the
     * handler), {@code methods} what the path allows.
     */
    record Route(String name, String[] params, Set<String> methods) {
        static final Route UNKNOWN = new Route("unknown", new String[0], Set.of());

        static Route of(HttpRequest request) {
            String rest = request.path().substring(PREFIX.length());
            String[] s = rest.split("/", -1);
            if (s.length == 1 && s[0].equals("rooms")) {
                return new Route("rooms.create", s, Set.of("POST"));
            }
            if (s.length == 2 && s[0].equals("rooms") && !s[1].isEmpty()) {
                String name = switch (request.method()) {
                    case "GET" -> "rooms.get";
                    case "PATCH" -> "rooms.rename";
                    case "DELETE" -> "rooms.close";
                    default -> "rooms.one";
                };
                return new Route(name, s, Set.of("GET", "PATCH", "DELETE"));
            }
            if (s.length == 4 && s[0].equals("rooms") && s[2].equals("members") && !s[1].isEmpty() && !s[3].isEmpty()) {
                return new Route("rooms.member", s, Set.of("GET"));
            }
            if (s.length == 3 && s[0].equals("rooms") && s[2].equals("messages") && !s[1].isEmpty()) {
                return new Route("rooms.messages", s, Set.of("POST"));
            }
            if (s.length == 3 && s[0].equals("users") && s[2].equals("revoke") && !s[1].isEmpty()) {
                return new Route("users.revoke", s, Set.of("POST"));
            }
            if (s.length == 3 && s[0].equals("users") && s[2].equals("token") && !s[1].isEmpty()) {
                return new Route("users.token", s, Set.of("POST"));
            }
            return UNKNOWN;
        }
    }

    private CompletionStage<HttpResponse> dispatch(Route route, HttpRequest request) {
        if (route == Route.UNKNOWN) {
            throw new Refusal(404, "not_found", "no API endpoint at " + request.path());
        }
        if (!route.methods.contains(request.method())) {
            String allow = String.join(", ", new java.util.TreeSet<>(route.methods));
            return CompletableFuture.completedFuture(HttpResponse.error(405, "method_not_allowed",
                    request.method() + " is not allowed here; allowed: " + allow).withHeader("Allow", allow));
        }
        String[] p = route.params;
        return switch (route.name) {
            case "rooms.create" -> createRoom(body(request));
            case "rooms.get" -> describeRoom(p[1]);
            case "rooms.rename" -> renameRoom(p[1], body(request));
            case "rooms.close" -> closeRoom(p[1]);
            case "rooms.member" -> membership(p[1], p[3]);
            case "rooms.messages" -> postMessage(p[1], body(request));
            case "users.revoke" -> revoke(userId(p[1]));
            case "users.token" -> mintToken(userId(p[1]), body(request));
            default -> throw new IllegalStateException(route.name);
        };
    }

    private CompletionStage<HttpResponse> createRoom(JsonNode body) {
        String name = roomName(body);
        JsonNode list = body.get("members");
        if (list != null && !list.isArray()) {
            throw invalid("field 'members' must be an array of {userId, role}");
        }
        List<RoomMembership> members = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        if (list != null) {
            if (list.size() > MAX_MEMBERS) {
                throw invalid("field 'members' holds more than " + MAX_MEMBERS + " members");
            }
            for (JsonNode m : list) {
                if (!m.isObject()) {
                    throw invalid("field 'members' must be an array of {userId, role}");
                }
                String userId = userId(text(m, "userId", true));
                String role = text(m, "role", false);
                role = role == null ? Room.ROLE_MEMBER : role;
                if (!ClientMessage.ChangeRole.GRANTABLE.contains(role)) {
                    throw invalid("field 'role' must be 'owner', 'admin' or 'member'");
                }
                if (!seen.add(userId)) {
                    throw invalid("user '" + userId + "' is listed twice in 'members'");
                }
                members.add(new RoomMembership(userId, role));
            }
        }
        return rooms.createKept(name, members).thenCompose(record -> publicInvite(record.id()).thenApply(invite -> {
            announce(record.id(), name, members);
            ObjectNode out = json.createObjectNode().put("roomId", record.id()).put("name", name);
            out.set("members", membersJson(members));
            if (invite != null) {
                out.putObject("invite").put("inviteId", invite.inviteId()).put("token", invite.token())
                        .put("url", invite.url()).put("expiresAt", invite.expiresAt());
            }
            return respond(201, out);
        }));
    }

    /**
     * Lists the new room at once on its members' online clients, as a direct room is listed on its other user's: the
     * room is kept by now, so a client that asks room.list on the event finds it. An announcement that fails is
     * logged and the room still answers 201: the room exists, and the client sees it on its next room.list.
     */
    private void announce(String roomId, String name, List<RoomMembership> members) {
        RoomListing listing = new RoomListing(roomId, name, 0);
        for (RoomMembership m : members) {
            try {
                announcer.roomListed(m.userId(), listing);
            } catch (RuntimeException e) {
                log.warn("could not announce room {} to {}: {}", roomId, m.userId(), e.toString());
            }
        }
    }

    /**
     * The new room's public invite, made by the server itself (a server admin in the rights table), with the
     * configured default lifetime; null when this server has no invites. A room whose invite could not be made is
     * still created: the platform can ask a member to make one.
     */
    private CompletionStage<ServerMessage.InviteCreated> publicInvite(String roomId) {
        if (invites == null) {
            return CompletableFuture.completedFuture(null);
        }
        return invites.create(API_PRINCIPAL, new ClientMessage.CreateInvite("api", roomId, "public", null, null))
                .thenApply(answer -> answer instanceof ServerMessage.InviteCreated created ? created : null);
    }

    private CompletionStage<HttpResponse> describeRoom(String roomId) {
        return rooms.details(roomId).thenCompose(details -> {
            if (details.isEmpty()) {
                throw unknownRoom(roomId);
            }
            return rooms.memberships(roomId).thenApply(members -> {
                ObjectNode out = json.createObjectNode().put("roomId", roomId).put("name", details.get().name());
                out.set("members", membersJson(members));
                out.put("messageCount", details.get().messageCount());
                return respond(200, out);
            });
        });
    }

    private CompletionStage<HttpResponse> renameRoom(String roomId, JsonNode body) {
        String name = roomName(body);
        return withRoom(roomId, room -> room.renameBySystem(name)
                .thenApply(done -> respond(200, json.createObjectNode().put("roomId", roomId).put("name", name))));
    }

    private CompletionStage<HttpResponse> closeRoom(String roomId) {
        return withRoom(roomId, room -> room.closeBySystem().thenApply(done -> HttpResponse.empty(204)));
    }

    private CompletionStage<HttpResponse> membership(String roomId, String userId) {
        return rooms.details(roomId).thenCompose(details -> {
            if (details.isEmpty()) {
                throw unknownRoom(roomId);
            }
            return rooms.memberships(roomId).thenApply(members -> {
                RoomMembership found = members.stream().filter(m -> m.userId().equals(userId)).findFirst()
                        .orElse(null);
                ObjectNode out = json.createObjectNode().put("member", found != null);
                if (found != null) {
                    out.put("role", found.role());
                } else {
                    out.putNull("role");
                }
                return respond(200, out);
            });
        });
    }

    private CompletionStage<HttpResponse> postMessage(String roomId, JsonNode body) {
        String text = text(body, "text", true);
        if (text.isBlank()) {
            throw invalid("field 'text' must not be blank");
        }
        if (text.codePointCount(0, text.length()) > MAX_TEXT) {
            throw invalid("field 'text' is longer than " + MAX_TEXT + " characters");
        }
        return withRoom(roomId, room -> room.postBySystem(text).thenApply(message -> respond(201,
                json.createObjectNode().put("roomId", roomId).put("messageId", message.id()).put("ts", message.ts()))));
    }

    private CompletionStage<HttpResponse> revoke(String userId) {
        return revoker.revoke(userId).thenApply(ended -> respond(200,
                json.createObjectNode().put("userId", userId).put("sessionsEnded", ended)));
    }

    private CompletionStage<HttpResponse> mintToken(String userId, JsonNode body) {
        String name = text(body, "name", true);
        JsonNode ttl = body.get("ttl");
        if (ttl == null || !ttl.canConvertToLong() || !ttl.isIntegralNumber() || ttl.asLong() <= 0) {
            throw invalid("field 'ttl' must be the token's lifetime in seconds, a positive whole number");
        }
        String room = text(body, "room", false);
        if (tokens == null) {
            throw new Refusal(501, "not_supported", "this server has no key to sign tokens with (signaling.tokenKeys)");
        }
        try {
            String token = tokens.mint(userId, name, Duration.ofSeconds(ttl.asLong()), room);
            return CompletableFuture.completedFuture(respond(201, json.createObjectNode().put("token", token)));
        } catch (TokenIssuer.Refused e) {
            throw invalid(e.getMessage());
        }
    }

    private CompletionStage<HttpResponse> withRoom(String roomId, Function<Room, CompletionStage<HttpResponse>> then) {
        return rooms.openForServer(roomId).thenCompose(opening -> {
            if (opening instanceof RoomOpening.Opened o) {
                return then.apply(o.room());
            }
            throw unknownRoom(roomId);
        });
    }

    // --- request bodies

    private JsonNode body(HttpRequest request) {
        String type = request.header("Content-Type");
        if (type == null || !type.toLowerCase(Locale.ROOT).split(";")[0].trim().equals("application/json")) {
            throw new Refusal(415, "unsupported_media_type", "the body must be JSON (Content-Type: application/json)");
        }
        if (request.body().length > MAX_BODY_BYTES) {
            throw new Refusal(413, "too_large", "the body is larger than " + MAX_BODY_BYTES + " bytes");
        }
        try {
            JsonNode node = json.readTree(request.body());
            if (node == null || !node.isObject()) {
                throw invalid("the body must be a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw invalid("the body is not valid JSON");
        }
    }

    private String roomName(JsonNode body) {
        String name = text(body, "name", true);
        String problem = RoomName.problem(name);
        if (problem != null) {
            throw invalid(problem);
        }
        return name.strip();
    }

    private static String text(JsonNode node, String field, boolean required) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw invalid("field '" + field + "' is required");
            }
            return null;
        }
        if (!v.isTextual()) {
            throw invalid("field '" + field + "' must be a string");
        }
        return v.asText();
    }

    /** A user id as the API takes it: any provider's id (e.g. {@code dev:Ann}), but printable and bounded. */
    static String userId(String id) {
        if (id.isEmpty() || id.length() > MAX_USER_ID || id.codePoints().anyMatch(c -> Character.isISOControl(c)
                || Character.isWhitespace(c))) {
            throw invalid("a user id is 1.." + MAX_USER_ID + " characters without spaces or control characters");
        }
        return id;
    }

    private ArrayNode membersJson(List<RoomMembership> members) {
        ArrayNode out = json.createArrayNode();
        for (RoomMembership m : members) {
            ObjectNode o = out.addObject().put("userId", m.userId()).put("role", m.role());
            if (m.displayName() != null) {
                o.put("displayName", m.displayName());
            }
        }
        return out;
    }

    private HttpResponse respond(int status, ObjectNode body) {
        try {
            return new HttpResponse(status, HttpResponse.JSON, java.util.Map.of(), json.writeValueAsBytes(body));
        } catch (IOException e) {
            throw new IllegalStateException("a JSON tree always writes", e);
        }
    }

    private static Refusal invalid(String message) {
        return new Refusal(400, "invalid_field", message);
    }

    private static Refusal unknownRoom(String roomId) {
        String shown = roomId.length() <= 40 ? roomId : roomId.substring(0, 40) + "…";
        return new Refusal(404, "unknown_room", "no room with id '" + shown + "'");
    }
}
