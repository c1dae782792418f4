package io.presence.signaling.app;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.presence.signaling.app.config.PresenceConfig;
import io.presence.signaling.client.ClientSession;
import io.presence.signaling.client.SignalingClient;
import io.presence.signaling.client.SignalingException;
import io.presence.signaling.protocol.ClientMessage;
import io.presence.signaling.protocol.ServerMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Friend sign-in on a running appliance, against a FriendCore stand-in on loopback (plain http, which only loopback
 * is allowed): Friend users sign in under their FriendCore ids, a Friend admin revokes another user, whose next
 * sign-in asks FriendCore again instead of trusting the cache.
 */
class FriendSignInApplianceTest {

    @TempDir
    Path dir;

    final AtomicInteger calls = new AtomicInteger();
    HttpServer friendCore;

    @AfterEach
    void stop() {
        if (friendCore != null) {
            friendCore.stop(0);
        }
    }

    private void answer(HttpExchange exchange) throws IOException {
        calls.incrementAndGet();
        String form = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String body;
        if (form.contains("authid=s-ann")) {
            body = "ok<!--separate-->{\"UniqueID\":\"u-ann\",\"Name\":\"ann\",\"FullName\":\"Ann\",\"Level\":\"Admin\"}";
        } else if (form.contains("authid=s-bob")) {
            body = "ok<!--separate-->{\"UniqueID\":\"u-bob\",\"Name\":\"bob\",\"FullName\":\"Bob\",\"Level\":\"User\"}";
        } else {
            body = "fail<!--separate-->{\"response\":\"user session not found\"}";
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Test
    void friendUsersSignInAndARevokedOneIsCheckedWithFriendCoreAgain() throws Exception {
        friendCore = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        friendCore.createContext("/system.library/module/", this::answer);
        friendCore.start();
        Map<String, String> env = TestConfigs.ephemeralEnv(dir.resolve("data"));
        env.put("PRESENCE_AUTH_FRIEND_ENABLED", "true");
        env.put("PRESENCE_AUTH_FRIEND_URL", "http://127.0.0.1:" + friendCore.getAddress().getPort());
        ByteArrayOutputStream startOutput = new ByteArrayOutputStream();
        try (Appliance a = new Appliance(PresenceConfig.load(null, env),
                new PrintStream(startOutput, true, StandardCharsets.UTF_8))) {
            a.start();
            String printed = startOutput.toString(StandardCharsets.UTF_8);
            assertTrue(printed.contains("Friend sessions via http://127.0.0.1:"), printed);
            assertTrue(printed.contains("auth.friend.url is plain http"), printed);
            try (SignalingClient clients = SignalingClient.builder().webSocket(a.webSocketAddress()).build()) {
                ClientSession ann = clients.connect();
                assertEquals("friend:u-ann", ann.hello(ClientMessage.Credentials.friend("s-ann", "ann")).userId());
                ClientSession bob = clients.connect();
                assertEquals("friend:u-bob", bob.hello(ClientMessage.Credentials.friend("s-bob", "bob")).userId());
                assertEquals("auth_failed", assertThrows(SignalingException.class, () -> clients.connect()
                        .hello(ClientMessage.Credentials.friend("s-bob", "ann"))).code(), "another login");
                assertEquals("auth_failed", assertThrows(SignalingException.class, () -> clients.connect()
                        .hello(ClientMessage.Credentials.friend("s-gone", "bob"))).code(), "FriendCore says fail");

                int before = calls.get();
                clients.connect().hello(ClientMessage.Credentials.friend("s-bob", "bob"));
                assertEquals(before, calls.get(), "a second sign-in within the TTL comes from the cache");

                assertEquals(2, ann.revokeUser("friend:u-bob").sessions());
                ServerMessage heard = bob.nextUnsolicited(Duration.ofSeconds(5));
                assertTrue(heard instanceof ServerMessage.Error e && "revoked".equals(e.code()), String.valueOf(heard));

                clients.connect().hello(ClientMessage.Credentials.friend("s-bob", "bob"));
                assertEquals(before + 1, calls.get(), "after the revocation FriendCore is asked again");
            }
        }
    }
}
