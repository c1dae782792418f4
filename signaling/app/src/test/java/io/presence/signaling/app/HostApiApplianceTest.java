package io.presence.signaling.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.presence.signaling.app.config.ApiConfig;
import io.presence.signaling.app.config.ConfigException;
import io.presence.signaling.app.config.PresenceConfig;
import io.presence.signaling.client.ClientSession;
import io.presence.signaling.client.SignalingClient;
import io.presence.signaling.protocol.AvatarPath;
import io.presence.signaling.protocol.ClientMessage;
import io.presence.signaling.protocol.MemberView;
import io.presence.signaling.protocol.RoomEvent;
import io.presence.signaling.protocol.ServerMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The host-platform API and the avatars on a running appliance: a room created through the API, a token minted
 * through it (signed request) signs in, hears of a further room the API puts it in, sees the API's system message
 * and fetches its own avatar.
 */
class HostApiApplianceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = "b2YgY291cnNlIHRoaXMgaXMgYSB0ZXN0IGtleSBvbmx5";
    private static final Duration T = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(T).build();

    private Map<String, String> env() {
        Map<String, String> env = TestConfigs.ephemeralEnv(dir.resolve("data"));
        env.put("PRESENCE_API_ENABLED", "true");
        env.put("PRESENCE_API_KEYS", KEY);
        return env;
    }

    private HttpResponse<byte[]> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(T).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpResponse<byte[]> bearer(String base, String method, String target, String body) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + target)).header("Authorization", "Bearer " + KEY)
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body)));
    }

    private HttpResponse<byte[]> signed(String base, String target, String body) throws Exception {
        String ts = Long.toString(System.currentTimeMillis() / 1000);
        String bodyHash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(body.getBytes(StandardCharsets.UTF_8)));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(KEY.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String signature = HexFormat.of().formatHex(mac.doFinal(("POST\n" + target + "\n" + ts + "\n" + bodyHash)
                .getBytes(StandardCharsets.UTF_8)));
        return send(HttpRequest.newBuilder(URI.create(base + target)).header("Content-Type", "application/json")
                .header("X-Presence-Timestamp", ts).header("X-Presence-Signature", signature)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static JsonNode json(HttpResponse<byte[]> response) throws Exception {
        return JSON.readTree(response.body());
    }

    @Test
    void aRoomFromTheApiATokenFromTheApiASystemMessageAndAnAvatar() throws Exception {
        try (Appliance a = new Appliance(PresenceConfig.load(null, env()),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))) {
            a.start();
            String base = "http://127.0.0.1:" + a.webSocketAddress().getPort();

            HttpResponse<byte[]> unauthenticated = send(HttpRequest.newBuilder(URI.create(base + "/api/v1/rooms"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")));
            assertEquals(401, unauthenticated.statusCode());
            assertEquals("unauthorized", json(unauthenticated).at("/error/code").asText());

            HttpResponse<byte[]> created = bearer(base, "POST", "/api/v1/rooms",
                    "{\"name\":\"Launch\",\"members\":[{\"userId\":\"alice\",\"role\":\"owner\"}]}");
            assertEquals(201, created.statusCode(), new String(created.body(), StandardCharsets.UTF_8));
            String roomId = json(created).get("roomId").asText();
            String inviteUrl = json(created).path("invite").path("url").asText();
            assertTrue(inviteUrl.contains("/join/" + json(created).path("invite").path("token").asText()),
                    "the room comes with its public invite: " + new String(created.body(), StandardCharsets.UTF_8));

            String tokenRequest = "{\"name\":\"Alice\",\"ttl\":600,\"room\":\"" + roomId + "\"}";
            HttpResponse<byte[]> minted = signed(base, "/api/v1/users/alice/token", tokenRequest);
            assertEquals(201, minted.statusCode(), new String(minted.body(), StandardCharsets.UTF_8));
            String token = json(minted).get("token").asText();

            try (SignalingClient clients = SignalingClient.builder().webSocket(a.webSocketAddress()).build()) {
                ClientSession alice = clients.connect();
                assertEquals("alice", alice.hello(new ClientMessage.Credentials("jwt", null, null, token)).userId());
                ServerMessage.RoomJoined joined = alice.join(roomId);
                assertEquals("owner", joined.role(), "the API's owner membership");
                MemberView me = joined.members().get(0);
                assertEquals(AvatarPath.forUser("alice"), me.avatarUrl());

                HttpResponse<byte[]> another = bearer(base, "POST", "/api/v1/rooms",
                        "{\"name\":\"Standup\",\"members\":[{\"userId\":\"alice\"},{\"userId\":\"bob\"}]}");
                assertEquals(201, another.statusCode(), new String(another.body(), StandardCharsets.UTF_8));
                RoomEvent.RoomListed listed = alice.awaitEvent(RoomEvent.RoomListed.class, T);
                assertNotNull(listed, "a member online when the API creates its room hears of it");
                assertEquals(json(another).get("roomId").asText(), listed.roomId());
                assertEquals("Standup", listed.room().name());
                assertEquals(0, listed.room().unread());
                assertNull(listed.room().direct());

                HttpResponse<byte[]> posted = bearer(base, "POST", "/api/v1/rooms/" + roomId + "/messages",
                        "{\"text\":\"Welcome aboard\"}");
                assertEquals(201, posted.statusCode());
                RoomEvent.ChatPosted message = alice.awaitEvent(RoomEvent.ChatPosted.class, T);
                assertEquals("Welcome aboard", message.message().text());
                assertEquals("system", message.message().fromMemberId());
                assertEquals(1, json(bearer(base, "GET", "/api/v1/rooms/" + roomId, null))
                        .get("messageCount").asLong());

                HttpResponse<byte[]> avatar = send(HttpRequest.newBuilder(URI.create(base + me.avatarUrl()
                        + "?size=48")).GET());
                assertEquals(200, avatar.statusCode());
                assertEquals("image/png", avatar.headers().firstValue("content-type").orElse(""));
                assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'},
                        Arrays.copyOf(avatar.body(), 8));
                assertEquals(48, ByteBuffer.wrap(avatar.body(), 16, 4).getInt(), "IHDR width");
                assertEquals(48, ByteBuffer.wrap(avatar.body(), 20, 4).getInt(), "IHDR height");
                String etag = avatar.headers().firstValue("etag").orElseThrow();
                HttpResponse<byte[]> again = send(HttpRequest.newBuilder(URI.create(base + me.avatarUrl()
                        + "?size=48")).header("If-None-Match", etag).GET());
                assertEquals(304, again.statusCode());
                assertEquals(0, again.body().length);
                assertEquals(400, send(HttpRequest.newBuilder(URI.create(base + me.avatarUrl() + "?size=4096"))
                        .GET()).statusCode());

                JsonNode revoked = json(bearer(base, "POST", "/api/v1/users/alice/revoke", null));
                assertEquals(1, revoked.get("sessionsEnded").asInt());
            }

            HttpResponse<byte[]> onAdmin = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + a.adminAddress().getPort() + "/api/v1/rooms/" + roomId)).header("Authorization", "Bearer " + KEY)
                    .GET());
            assertEquals(404, onAdmin.statusCode(), "the API is not on the admin port");
        }
    }

    @Test
    void enabledWithoutKeysOrWithAWeakKeyIsAConfigurationError() throws Exception {
        Map<String, String> env = TestConfigs.ephemeralEnv(dir.resolve("data"));
        env.put("PRESENCE_API_ENABLED", "true");
        ConfigException none = assertThrows(ConfigException.class,
                () -> ApiConfig.settings(PresenceConfig.load(null, env)));
        assertTrue(none.getMessage().contains("api.keys"), none.getMessage());
        env.put("PRESENCE_API_KEYS", "secret");
        ConfigException weak = assertThrows(ConfigException.class,
                () -> ApiConfig.settings(PresenceConfig.load(null, env)));
        assertFalse(weak.getMessage().contains("secret\""), "the key is not echoed: " + weak.getMessage());
        env.put("PRESENCE_API_ENABLED", "false");
        assertTrue(ApiConfig.settings(PresenceConfig.load(null, env)).isEmpty());
    }
}
