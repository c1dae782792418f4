package io.presence.signaling.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.presence.signaling.http.HttpRequest;
import io.presence.signaling.http.HttpResponse;
import io.presence.signaling.identity.Principal;
import io.presence.signaling.protocol.RoomEvent;
import io.presence.signaling.protocol.ServerMessage;
import io.presence.signaling.room.LiveServices;
import io.presence.signaling.room.LiveStats;
import io.presence.signaling.room.MemberProfile;
import io.presence.signaling.room.MemberSink;
import io.presence.signaling.room.Reply;
import io.presence.signaling.room.Room;
import io.presence.signaling.room.RoomDirectory;
import io.presence.signaling.room.RoomOpening;
import io.presence.signaling.room.RoomSettings;
import io.presence.signaling.room.RoomStats;
import io.presence.signaling.runtime.ManualLoops;
import io.presence.signaling.session.SignInThrottle;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ApiEndpointTest {
    private static final String KEY = "k-0123456789abcdef0123456789abcdef";
    private static final String OTHER_KEY = "k-second-key-for-rotation-000000000";
    private static final String JSON = "application/json";
    /** Enough failures for every test; the throttle has its own test. */
    private static final SignInThrottle.Settings LENIENT = new SignInThrottle.Settings(1000, 2000,
            Duration.ofMinutes(1), Duration.ofMillis(1), Duration.ofMillis(1), Duration.ofMinutes(1), 100);

    private final ObjectMapper json = new ObjectMapper();
    private final ManualLoops loops = new ManualLoops(1);
    private final KeptRooms store = new KeptRooms();
    private final RoomDirectory rooms = new RoomDirectory(loops, new RoomSettings(50, 100, Duration.ofSeconds(5),
            Duration.ofMinutes(1)), loops.time(), RoomStats.NONE, store, store, LiveServices.standalone(),
            LiveStats.NONE);
    private final List<String> revoked = new ArrayList<>();
    private final List<String> minted = new ArrayList<>();
    private final List<String> announced = new ArrayList<>();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private ApiEndpoint api = endpoint(LENIENT);

    private ApiEndpoint endpoint(SignInThrottle.Settings throttle) {
        return new ApiEndpoint(new ApiSettings(List.of(KEY, OTHER_KEY), Duration.ofMinutes(5), throttle),
                loops.time(), rooms, userId -> {
                    revoked.add(userId);
                    return CompletableFuture.completedFuture(2);
                }, (userId, name, ttl, room) -> {
                    if (name.equals("refuse me")) {
                        throw new TokenIssuer.Refused("field 'name' is refused by the minter");
                    }
                    minted.add(userId + "|" + name + "|" + ttl.toSeconds() + "|" + room);
                    return "token-for-" + userId;
                }, new ApiMetrics(registry), null, (userId, listing) -> {
                    if (userId.equals("unreachable")) {
                        throw new IllegalStateException("this member's sessions are gone");
                    }
                    announced.add(userId + "|" + listing.roomId() + "|" + listing.name() + "|" + listing.unread()
                            + "|" + listing.direct() + "|kept=" + store.rooms.containsKey(listing.roomId()));
                });
    }

    // --- requests

    private static HttpRequest request(String method, String target, String body, Map<String, String> headers,
                                       String from) throws IOException {
        int q = target.indexOf('?');
        String rawPath = q < 0 ? target : target.substring(0, q);
        String rawQuery = q < 0 ? "" : target.substring(q + 1);
        Map<String, String> lower = new HashMap<>();
        headers.forEach((k, v) -> lower.put(k.toLowerCase(java.util.Locale.ROOT), v));
        return new HttpRequest(method, target, URLDecoder.decode(rawPath, StandardCharsets.UTF_8), rawQuery, Map.of(),
                lower, body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8), InetAddress.getByName(from));
    }

    private HttpRequest bearer(String method, String target, String body) throws IOException {
        return request(method, target, body, withJson(body, Map.of("Authorization", "Bearer " + KEY)), "192.0.2.1");
    }

    private HttpRequest signed(String method, String target, String body, String key, long unixSeconds)
            throws IOException {
        String ts = Long.toString(unixSeconds);
        byte[] bodyBytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        String payload = method + "\n" + target + "\n" + ts + "\n"
                + HexFormat.of().formatHex(ApiAuthenticator.sha256(bodyBytes));
        String signature = HexFormat.of().formatHex(ApiAuthenticator.hmac(key.getBytes(StandardCharsets.UTF_8),
                payload.getBytes(StandardCharsets.UTF_8)));
        return request(method, target, body, withJson(body, Map.of("X-Presence-Timestamp", ts,
                "X-Presence-Signature", signature)), "192.0.2.1");
    }

    private long now() {
        return loops.time().millis() / 1000;
    }

    private static Map<String, String> withJson(String body, Map<String, String> headers) {
        Map<String, String> all = new HashMap<>(headers);
        if (body != null) {
            all.put("Content-Type", JSON);
        }
        return all;
    }

    private HttpResponse call(HttpRequest request) {
        CompletableFuture<HttpResponse> answer = api.handle(request).toCompletableFuture();
        for (int i = 0; i < 100 && !answer.isDone(); i++) {
            loops.run();
        }
        loops.run();
        return answer.orTimeout(5, TimeUnit.SECONDS).join();
    }

    private JsonNode body(HttpResponse response) throws IOException {
        return json.readTree(response.body());
    }

    private void assertError(HttpResponse response, int status, String code) throws IOException {
        assertEquals(status, response.status(), new String(response.body(), StandardCharsets.UTF_8));
        assertEquals("application/json; charset=utf-8", response.contentType());
        assertEquals(code, body(response).path("error").path("code").asText(),
                new String(response.body(), StandardCharsets.UTF_8));
        assertFalse(body(response).path("error").path("message").asText().isBlank());
    }

    private String createRoom(String name) throws IOException {
        HttpResponse r = call(bearer("POST", "/api/v1/rooms", "{\"name\":\"" + name + "\",\"members\":["
                + "{\"userId\":\"dev:Ann\",\"role\":\"owner\"},{\"userId\":\"bob\"}]}"));
        assertEquals(201, r.status(), new String(r.body(), StandardCharsets.UTF_8));
        return body(r).get("roomId").asText();
    }

    /** A member online in {@code roomId}, recording what the room sends it. */
    private final class Member implements MemberSink {
        final List<RoomEvent> events = new ArrayList<>();
        boolean detached;

        Member(String roomId, String userId) {
            RoomOpening opening = rooms.open(roomId, Principal.user(userId, userId, null)).toCompletableFuture().join();
            Room room = ((RoomOpening.Opened) opening).room();
            room.join(this, new MemberProfile("m-" + userId, userId, userId, null), false, new Reply("j", null));
            loops.run();
        }

        @Override
        public void event(RoomEvent event) {
            events.add(event);
        }

        @Override
        public void reply(Reply to, ServerMessage message) {
        }

        @Override
        public void detached(String roomId) {
            detached = true;
        }

        <T extends RoomEvent> T last(Class<T> type) {
            for (int i = events.size() - 1; i >= 0; i--) {
                if (type.isInstance(events.get(i))) {
                    return type.cast(events.get(i));
                }
            }
            throw new AssertionError("no " + type.getSimpleName() + " in " + events);
        }
    }

    // --- authentication, for every endpoint

    private record Call(String method, String target, String body) { }

    private List<Call> everyEndpoint(String roomId) {
        return List.of(
                new Call("POST", "/api/v1/rooms", "{\"name\":\"New\",\"members\":[]}"),
                new Call("GET", "/api/v1/rooms/" + roomId, null),
                new Call("PATCH", "/api/v1/rooms/" + roomId, "{\"name\":\"Renamed\"}"),
                new Call("GET", "/api/v1/rooms/" + roomId + "/members/bob", null),
                new Call("POST", "/api/v1/rooms/" + roomId + "/messages", "{\"text\":\"hello\"}"),
                new Call("POST", "/api/v1/users/dev:Ann/revoke", null),
                new Call("POST", "/api/v1/users/ann/token", "{\"name\":\"Ann\",\"ttl\":600}"),
                new Call("DELETE", "/api/v1/rooms/" + roomId, null));
    }

    @Test
    void aCreatedRoomIsAnnouncedToEachMemberOnceItIsKept() throws IOException {
        String roomId = createRoom("Kept");
        assertEquals(List.of("dev:Ann|" + roomId + "|Kept|0|null|kept=true",
                "bob|" + roomId + "|Kept|0|null|kept=true"), announced, "each member, with the room.list entry, once the room is kept");

        announced.clear();
        HttpResponse r = call(bearer("POST", "/api/v1/rooms", "{\"name\":\"Other\",\"members\":["
                + "{\"userId\":\"unreachable\"},{\"userId\":\"carol\"}]}"));
        assertEquals(201, r.status(), "an announcement that fails does not undo the room");
        assertEquals(List.of("carol|" + body(r).get("roomId").asText() + "|Other|0|null|kept=true"), announced);

        announced.clear();
        assertEquals(201, call(bearer("POST", "/api/v1/rooms", "{\"name\":\"Empty\"}")).status());
        assertEquals(List.of(), announced, "no members, nobody to tell");
    }

    @Test
    void everyEndpointRefusesMissingAndWrongAuthenticationAndChangesNothing() throws IOException {
        String roomId = createRoom("Kept");
        int roomsBefore = store.rooms.size();
        for (Call c : everyEndpoint(roomId)) {
            String what = c.method + " " + c.target;
            HttpResponse missing = call(request(c.method, c.target, c.body, withJson(c.body, Map.of()), "192.0.2.9"));
            assertError(missing, 401, "unauthorized");
            assertEquals("Bearer", missing.headers().get("WWW-Authenticate"), what);
            assertError(call(request(c.method, c.target, c.body, withJson(c.body,
                    Map.of("Authorization", "Bearer " + KEY + "x")), "192.0.2.9")), 401, "unauthorized");
            assertError(call(request(c.method, c.target, c.body, withJson(c.body,
                    Map.of("Authorization", "Basic " + KEY)), "192.0.2.9")), 401, "unauthorized");
            assertError(call(signed(c.method, c.target, c.body, "not-a-key", now())), 401, "unauthorized");
            // Signed for another body or target: the signature does not cover this request.
            HttpRequest good = signed(c.method, c.target, c.body, KEY, now());
            assertError(call(new HttpRequest(good.method(), good.target() + "?x=1", good.path(), "x=1", Map.of(),
                    good.headers(), good.body(), good.remoteAddress())), 401, "unauthorized");
            assertError(call(signed(c.method, c.target, c.body, KEY, now() - 301)), 401, "unauthorized");
            assertError(call(signed(c.method, c.target, c.body, KEY, now() + 301)), 401, "unauthorized");
        }
        assertEquals(roomsBefore, store.rooms.size());
        assertEquals("Kept", store.names.get(roomId));
        assertTrue(store.messages.getOrDefault(roomId, List.of()).isEmpty());
        assertTrue(revoked.isEmpty());
        assertTrue(minted.isEmpty());
    }

    @Test
    void everyEndpointTakesASignatureOnceAndRefusesItReplayed() throws IOException {
        String roomId = createRoom("Kept");
        for (Call c : everyEndpoint(roomId)) {
            HttpRequest request = signed(c.method, c.target, c.body, OTHER_KEY, now());
            HttpResponse first = call(request);
            assertTrue(first.status() < 300, c + ": " + first.status());
            HttpResponse replayed = call(request);
            assertError(replayed, 401, "unauthorized");
            assertTrue(body(replayed).path("error").path("message").asText().contains("used already"));
        }
        assertEquals(List.of("dev:Ann"), revoked, "the replayed revoke did not run again");
        assertEquals(1, minted.size());
    }

    @Test
    void aSignatureIsGoodAgainAfterTheWindowOnlyWithANewTimestamp() throws IOException {
        HttpRequest r = signed("POST", "/api/v1/users/u1/revoke", null, KEY, now());
        assertEquals(200, call(r).status());
        loops.advance(Duration.ofMinutes(6));
        assertError(call(r), 401, "unauthorized");
        assertEquals(200, call(signed("POST", "/api/v1/users/u1/revoke", null, KEY, now())).status());
    }

    @Test
    void failingSourcesAreRefusedThenOthersStillGetIn() throws IOException {
        api = endpoint(new SignInThrottle.Settings(2, 3, Duration.ofMinutes(1), Duration.ofMillis(1),
                Duration.ofMillis(1), Duration.ofMinutes(5), 100));
        for (int i = 0; i < 3; i++) {
            assertError(call(request("POST", "/api/v1/users/x/revoke", null, Map.of("Authorization", "Bearer no"),
                    "198.51.100.7")), 401, "unauthorized");
        }
        HttpResponse refused = call(request("POST", "/api/v1/users/x/revoke", null,
                Map.of("Authorization", "Bearer " + KEY), "198.51.100.7"));
        assertError(refused, 429, "rate_limited");
        assertTrue(revoked.isEmpty(), "a refused source is refused even with the right key");
        assertEquals(200, call(bearer("POST", "/api/v1/users/x/revoke", null)).status(), "another source");
    }

    // --- each endpoint: success

    @Test
    void createsAKeptRoomWithItsMembersAndDescribesIt() throws IOException {
        String roomId = createRoom("Team");
        assertEquals("Team", store.names.get(roomId));
        assertEquals("owner", store.members.get(roomId).get("dev:Ann").role());
        assertEquals("member", store.members.get(roomId).get("bob").role());
        JsonNode room = body(call(bearer("GET", "/api/v1/rooms/" + roomId, null)));
        assertEquals(roomId, room.get("roomId").asText());
        assertEquals("Team", room.get("name").asText());
        assertEquals(2, room.get("members").size());
        assertEquals(0, room.get("messageCount").asLong());

        JsonNode ann = body(call(bearer("GET", "/api/v1/rooms/" + roomId + "/members/dev:Ann", null)));
        assertTrue(ann.get("member").asBoolean());
        assertEquals("owner", ann.get("role").asText());
        JsonNode eve = body(call(bearer("GET", "/api/v1/rooms/" + roomId + "/members/eve", null)));
        assertFalse(eve.get("member").asBoolean());
        assertTrue(eve.get("role").isNull());
        assertEquals(1.0, registry.get("presence.api.requests").tag("endpoint", "rooms.create")
                .tag("status", "201").counter().count());
    }

    @Test
    void aSystemMessageReachesEveryMemberAndIsKept() throws IOException {
        String roomId = createRoom("Team");
        Member bob = new Member(roomId, "bob");
        HttpResponse r = call(bearer("POST", "/api/v1/rooms/" + roomId + "/messages", "{\"text\":\"Maintenance at 6\"}"));
        assertEquals(201, r.status());
        RoomEvent.ChatPosted posted = bob.last(RoomEvent.ChatPosted.class);
        assertEquals("Maintenance at 6", posted.message().text());
        assertEquals("system", posted.message().fromMemberId());
        assertEquals(body(r).get("messageId").asLong(), posted.message().id());
        assertEquals(1, body(call(bearer("GET", "/api/v1/rooms/" + roomId, null))).get("messageCount").asLong());
    }

    @Test
    void renameAndCloseReachTheMembers() throws IOException {
        String roomId = createRoom("Team");
        Member bob = new Member(roomId, "bob");
        HttpResponse renamed = call(bearer("PATCH", "/api/v1/rooms/" + roomId, "{\"name\":\"  Crew \"}"));
        assertEquals(200, renamed.status());
        assertEquals("Crew", body(renamed).get("name").asText());
        assertEquals("Crew", bob.last(RoomEvent.RoomRenamed.class).name());
        assertEquals("Crew", store.names.get(roomId));

        assertEquals(204, call(bearer("DELETE", "/api/v1/rooms/" + roomId, null)).status());
        assertEquals(roomId, bob.last(RoomEvent.RoomClosed.class).roomId());
        assertTrue(bob.detached);
        assertFalse(store.rooms.containsKey(roomId));
        assertError(call(bearer("GET", "/api/v1/rooms/" + roomId, null)), 404, "unknown_room");
        assertError(call(bearer("DELETE", "/api/v1/rooms/" + roomId, null)), 404, "unknown_room");
    }

    @Test
    void revokesAndMints() throws IOException {
        JsonNode r = body(call(bearer("POST", "/api/v1/users/dev:Ann/revoke", null)));
        assertEquals(List.of("dev:Ann"), revoked);
        assertEquals(2, r.get("sessionsEnded").asInt());
        HttpResponse t = call(bearer("POST", "/api/v1/users/ann/token", "{\"name\":\"Ann\",\"ttl\":600,\"room\":\"r1\"}"));
        assertEquals(201, t.status());
        assertEquals("token-for-ann", body(t).get("token").asText());
        assertEquals(List.of("ann|Ann|600|r1"), minted);
    }

    // --- typed errors

    @Test
    void unknownRoomsAre404() throws IOException {
        for (Call c : everyEndpoint("nosuchroom")) {
            if (c.target.contains("nosuchroom")) {
                assertError(call(bearer(c.method, c.target, c.body)), 404, "unknown_room");
            }
        }
        assertFalse(store.rooms.containsKey("nosuchroom"), "nothing was created on the way");
    }

    @Test
    void badInputIsRefusedWithATypedErrorAndChangesNothing() throws IOException {
        String roomId = createRoom("Team");
        List<String[]> bad = List.of(
                new String[] {"POST", "/api/v1/rooms", "{\"members\":[]}"},
                new String[] {"POST", "/api/v1/rooms", "{\"name\":\"   \"}"},
                new String[] {"POST", "/api/v1/rooms", "{\"name\":\"x\",\"members\":[{\"userId\":\"a\",\"role\":\"guest\"}]}"},
                new String[] {"POST", "/api/v1/rooms", "{\"name\":\"x\",\"members\":[{\"userId\":\"a\"},{\"userId\":\"a\"}]}"},
                new String[] {"POST", "/api/v1/rooms", "{\"name\":\"x\",\"members\":[{\"userId\":\"a b\"}]}"},
                new String[] {"POST", "/api/v1/rooms", "{\"name\":\"x\",\"members\":{}}"},
                new String[] {"POST", "/api/v1/rooms", "[1]"},
                new String[] {"POST", "/api/v1/rooms", "{\"name\":"},
                new String[] {"PATCH", "/api/v1/rooms/" + roomId, "{\"name\":7}"},
                new String[] {"POST", "/api/v1/rooms/" + roomId + "/messages", "{\"text\":\" \"}"},
                new String[] {"POST", "/api/v1/rooms/" + roomId + "/messages", "{\"text\":\"" + "x".repeat(4001) + "\"}"},
                new String[] {"POST", "/api/v1/users/ann/token", "{\"name\":\"Ann\",\"ttl\":-5}"},
                new String[] {"POST", "/api/v1/users/ann/token", "{\"name\":\"Ann\",\"ttl\":\"600\"}"},
                new String[] {"POST", "/api/v1/users/ann/token", "{\"name\":\"refuse me\",\"ttl\":60}"});
        int before = store.rooms.size();
        for (String[] b : bad) {
            assertError(call(bearer(b[0], b[1], b[2])), 400, "invalid_field");
        }
        assertEquals(before, store.rooms.size());
        assertEquals("Team", store.names.get(roomId));
        assertTrue(store.messages.getOrDefault(roomId, List.of()).isEmpty());
        assertTrue(minted.isEmpty());
    }

    @Test
    void methodsMediaTypesSizesAndPaths() throws IOException {
        HttpResponse wrongMethod = call(bearer("PUT", "/api/v1/rooms/abc", "{}"));
        assertError(wrongMethod, 405, "method_not_allowed");
        assertEquals("DELETE, GET, PATCH", wrongMethod.headers().get("Allow"));
        assertError(call(bearer("GET", "/api/v1/rooms", null)), 405, "method_not_allowed");
        assertError(call(request("POST", "/api/v1/rooms", "name=x", Map.of("Authorization", "Bearer " + KEY,
                "Content-Type", "application/x-www-form-urlencoded"), "192.0.2.1")), 415, "unsupported_media_type");
        assertError(call(request("POST", "/api/v1/rooms", "{\"name\":\"x\"}", Map.of("Authorization", "Bearer " + KEY),
                "192.0.2.1")), 415, "unsupported_media_type");
        assertError(call(bearer("POST", "/api/v1/rooms", "{\"name\":\"" + "x".repeat(9000) + "\"}")), 413, "too_large");
        assertError(call(bearer("GET", "/api/v1/nothing/here", null)), 404, "not_found");
        assertError(call(bearer("GET", "/api/v1/", null)), 404, "not_found");
        assertEquals(0, store.rooms.size());
    }

    @Test
    void anUnknownPathNeedsAuthenticationToo() throws IOException {
        assertError(call(request("GET", "/api/v1/nothing", null, Map.of(), "192.0.2.1")), 401, "unauthorized");
    }
}
