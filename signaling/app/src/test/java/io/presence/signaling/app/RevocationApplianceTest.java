package io.presence.signaling.app;

import io.presence.signaling.app.config.PresenceConfig;
import io.presence.signaling.client.ClientSession;
import io.presence.signaling.client.SignalingClient;
import io.presence.signaling.client.SignalingException;
import io.presence.signaling.protocol.ClientMessage;
import io.presence.signaling.protocol.RoomEvent;
import io.presence.signaling.protocol.ServerMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code admin.revoke} on a running appliance with tokens from {@code presence token} (a separate process): the
 * revoked user's session hears {@code revoked} and ends, its resume and its old token are refused, also after a
 * restart (the revocation is in the database), while a token minted afterwards signs in again.
 */
class RevocationApplianceTest {

    @TempDir
    Path dir;

    private String token(PresenceCli cli, Map<String, String> env, String... args) throws Exception {
        String[] all = new String[args.length + 1];
        all[0] = "token";
        System.arraycopy(args, 0, all, 1, args.length);
        PresenceCli.Run run = cli.run(env, all);
        assertEquals(0, run.exit(), run::toString);
        return run.stdout().strip();
    }

    private static ClientMessage.Credentials jwt(String token) {
        return new ClientMessage.Credentials("jwt", null, null, token);
    }

    private static Appliance start(Map<String, String> env) throws Exception {
        Appliance a = new Appliance(PresenceConfig.load(null, env),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        a.start();
        return a;
    }

    @Test
    void adminRevokeEndsTheSessionAndRefusesTheOldTokenForGood() throws Exception {
        Map<String, String> env = TestConfigs.ephemeralEnv(dir.resolve("data"));
        PresenceCli cli = new PresenceCli(dir);
        String opsToken = token(cli, env, "--user", "ops", "--name", "Ops", "--ttl", "1h", "--admin");
        String bobToken = token(cli, env, "--user", "bob", "--name", "Bob", "--ttl", "1h");
        String bobLater;

        try (Appliance a = start(env);
             SignalingClient clients = SignalingClient.builder().webSocket(a.webSocketAddress()).build()) {
            ClientSession bob = clients.connect();
            bob.hello(jwt(bobToken));
            String room = bob.createRoom();
            ClientSession ops = clients.connect();
            ops.hello(jwt(opsToken));
            ops.join(room);

            assertEquals("forbidden", assertThrows(SignalingException.class, () -> bob.revokeUser("ops")).code(),
                    "only server admins revoke");

            ServerMessage.UserRevoked answer = ops.revokeUser("bob");
            assertEquals("bob", answer.userId());
            assertEquals(1, answer.sessions());

            ServerMessage first = bob.nextUnsolicited(Duration.ofSeconds(5));
            assertTrue(first instanceof ServerMessage.Error e && "revoked".equals(e.code()), String.valueOf(first));
            ServerMessage second = bob.nextUnsolicited(Duration.ofSeconds(5));
            assertTrue(second instanceof ServerMessage.Closing c && "revoked".equals(c.reason()),
                    String.valueOf(second));
            RoomEvent.MemberLeft left = ops.awaitEvent(RoomEvent.MemberLeft.class, Duration.ofSeconds(5));
            assertEquals(room, left.roomId());

            assertEquals("resume_failed", assertThrows(SignalingException.class, bob::resume).code());
            ClientSession oldToken = clients.connect();
            assertEquals("auth_failed", assertThrows(SignalingException.class,
                    () -> oldToken.hello(jwt(bobToken))).code());
            assertEquals(1.0, a.metrics().registry().get("presence.sessions.revoked").counter().count());

            Thread.sleep(1100); // iat has whole seconds: a token of the revocation's second is refused too
            bobLater = token(cli, env, "--user", "bob", "--name", "Bob", "--ttl", "1h");
            assertEquals("bob", clients.connect().hello(jwt(bobLater)).userId(), "a token minted later works");
        }

        try (Appliance again = start(env);
             SignalingClient clients = SignalingClient.builder().webSocket(again.webSocketAddress()).build()) {
            assertEquals("auth_failed", assertThrows(SignalingException.class,
                    () -> clients.connect().hello(jwt(bobToken))).code(), "still refused after a restart");
            assertEquals("bob", clients.connect().hello(jwt(bobLater)).userId());
        }
    }
}
