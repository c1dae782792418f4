package io.presence.signaling.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.presence.signaling.app.config.PresenceConfig;
import io.presence.signaling.client.ClientSession;
import io.presence.signaling.client.SignalingClient;
import io.presence.signaling.client.SignalingException;
import io.presence.signaling.protocol.ClientMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Signed-token sign-in on a running appliance with the development provider off: tokens printed by
 * {@code presence token} (a separate process on the same configuration and data directory) are accepted, a token's
 * room claim is enforced, and failed sign-ins from one address are delayed, then refused, while another address
 * still signs in.
 */
class TokenSignInApplianceTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Map<String, String> env(int tcpPort) {
        Map<String, String> env = TestConfigs.ephemeralEnv(dir.resolve("data"));
        env.put("PRESENCE_SIGNALING_TCP_PORT", String.valueOf(tcpPort));
        env.put("PRESENCE_AUTH_THROTTLE_DELAY", "300ms");
        env.put("PRESENCE_AUTH_THROTTLE_MAX_DELAY", "300ms");
        return env;
    }

    private String token(PresenceCli cli, Map<String, String> env, String... args) throws Exception {
        String[] all = new String[args.length + 1];
        all[0] = "token";
        System.arraycopy(args, 0, all, 1, args.length);
        PresenceCli.Run run = cli.run(env, all);
        assertEquals(0, run.exit(), run::toString);
        assertEquals("", run.stderr(), run::toString);
        assertTrue(run.stdout().matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\n"), run::toString);
        return run.stdout().strip();
    }

    private static ClientMessage.Credentials jwt(String token) {
        return new ClientMessage.Credentials("jwt", null, null, token);
    }

    @Test
    void tokensFromPresenceTokenSignInAndTheirRoomClaimHolds() throws Exception {
        int tcpPort = RunningAppliance.freePort();
        Map<String, String> env = env(tcpPort);
        PresenceCli cli = new PresenceCli(dir);
        // Minted before the first start: the command generates the key the server then uses.
        String bobToken = token(cli, env, "--user", "bob", "--name", "Bob", "--ttl", "1h");
        Path keyFile = dir.resolve("data").resolve("secrets").resolve(TokenSignIn.GENERATED_KEY);
        assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                Files.getPosixFilePermissions(keyFile));

        ByteArrayOutputStream startOutput = new ByteArrayOutputStream();
        try (Appliance a = new Appliance(PresenceConfig.load(null, env),
                new PrintStream(startOutput, true, StandardCharsets.UTF_8))) {
            a.start();
            String printed = startOutput.toString(StandardCharsets.UTF_8);
            assertTrue(printed.contains("sign-in") && printed.contains("tokens (jwt)"), printed);
            assertFalse(printed.contains(Files.readString(keyFile).strip()), "the key is never printed");
            try (SignalingClient clients = SignalingClient.builder().webSocket(a.webSocketAddress()).build()) {
                ClientSession bob = clients.connect();
                assertEquals("bob", bob.hello(jwt(bobToken)).userId());
                String teamRoom = bob.createRoom();
                String otherRoom = bob.createRoom();

                ClientSession dev = clients.connect();
                SignalingException noDev = assertThrows(SignalingException.class, () -> dev.hello("Mallory"));
                assertEquals("auth_failed", noDev.code(), "the development provider is off");

                String aliceToken = token(cli, env, "--user", "alice", "--name", "Alice", "--ttl", "30m",
                        "--room", teamRoom);
                ClientSession alice = clients.connect();
                assertEquals("alice", alice.hello(jwt(aliceToken)).userId());
                alice.join(teamRoom);
                alice.chat(teamRoom, "c1", "hello from a token");
                SignalingException other = assertThrows(SignalingException.class, () -> alice.join(otherRoom));
                assertEquals("forbidden", other.code());
                SignalingException create = assertThrows(SignalingException.class, alice::createRoom);
                assertEquals("forbidden", create.code());

                ClientSession forged = clients.connect();
                String[] parts = aliceToken.split("\\.");
                SignalingException tampered = assertThrows(SignalingException.class,
                        () -> forged.hello(jwt(parts[0] + "." + parts[1] + "." + bobToken.split("\\.")[2])));
                assertEquals("auth_failed", tampered.code());
            }
        }
    }

    @Test
    void presenceTokenRefusesBadInputWithOneLineAndExitCodeTwo() throws Exception {
        Map<String, String> env = env(0);
        PresenceCli cli = new PresenceCli(dir);
        for (String[] args : new String[][]{
                {"token", "--user", "alice", "--name", "Alice", "--ttl", "25h"},
                {"token", "--user", "al:ice", "--name", "Alice", "--ttl", "1h"},
                {"token", "--user", "alice", "--name", " ", "--ttl", "1h"},
                {"token", "--user", "alice", "--name", "Alice", "--ttl", "soon"},
                {"token", "--user", "alice", "--ttl", "1h"},
                {"token", "--user", "alice", "--name", "Alice", "--ttl", "1h", "--room", "not a room"}}) {
            PresenceCli.Run run = cli.run(env, args);
            assertEquals(2, run.exit(), run::toString);
            assertEquals("", run.stdout(), run::toString);
            assertEquals(1, run.stderr().strip().lines().count(), run::toString);
            assertFalse(run.stderr().contains("Exception") || run.stderr().contains("\tat "), run::toString);
        }
    }

    @Test
    void failedSignInsAreDelayedThenRefusedPerAddressWhileAnotherAddressSignsIn() throws Exception {
        int tcpPort = RunningAppliance.freePort();
        Map<String, String> env = env(tcpPort);
        try (Appliance a = new Appliance(PresenceConfig.load(null, env),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))) {
            a.start();
            // Minted after the first start: the command uses the key the server generated.
            String good = token(new PresenceCli(dir), env, "--user", "carol", "--name", "Carol", "--ttl", "1h");
            InetSocketAddress server = new InetSocketAddress("127.0.0.1", tcpPort);
            try (RawTcp guesser = new RawTcp(server, "127.0.0.1")) {
                for (int i = 1; i <= 5; i++) {
                    JsonNode r = guesser.hello("not-a-token");
                    assertEquals("auth_failed", r.path("code").asText(), r.toString());
                }
                long t0 = System.nanoTime();
                JsonNode sixth = guesser.hello("not-a-token");
                long waitedMs = (System.nanoTime() - t0) / 1_000_000;
                assertEquals("auth_failed", sixth.path("code").asText());
                assertTrue(waitedMs >= 290, "the 6th failed hello waited for the throttle: " + waitedMs + " ms");
                for (int i = 7; i <= 20; i++) {
                    assertEquals("auth_failed", guesser.hello("not-a-token").path("code").asText());
                }
                JsonNode refused = guesser.hello(good);
                assertEquals("auth_failed", refused.path("code").asText(), "even a good token: refused at once");
                assertEquals("too many failed sign-ins, retry later", refused.path("message").asText());
            }
            try (RawTcp other = new RawTcp(server, "127.0.0.2")) {
                JsonNode welcome = other.hello(good);
                assertEquals("welcome", welcome.path("type").asText(), welcome.toString());
                assertEquals("carol", welcome.path("userId").asText());
            }
            MeterRegistry registry = a.metrics().registry();
            assertEquals(20.0, registry.get("presence.auth.failures").tag("provider", "jwt").tag("reason", "malformed")
                    .counter().count());
            assertEquals(1.0, registry.get("presence.auth.throttled").tag("outcome", "refused").counter().count());
            assertEquals(15.0, registry.get("presence.auth.throttled").tag("outcome", "delayed").counter().count());
        }
    }

    /** A newline-delimited JSON connection to the TCP listener from a chosen local address. */
    private static final class RawTcp implements AutoCloseable {
        private final Socket socket = new Socket();
        private final BufferedReader in;
        private final OutputStream out;
        private int requestId;

        RawTcp(InetSocketAddress server, String localAddress) throws Exception {
            socket.bind(new InetSocketAddress(InetAddress.getByName(localAddress), 0));
            socket.connect(server, 5000);
            socket.setSoTimeout(10_000);
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            out = socket.getOutputStream();
        }

        JsonNode hello(String token) throws Exception {
            String id = "h" + (++requestId);
            String frame = JSON.writeValueAsString(Map.of("type", "hello", "requestId", id, "version", 1,
                    "auth", Map.of("provider", "jwt", "token", token)));
            out.write((frame + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            while (true) {
                JsonNode reply = JSON.readTree(in.readLine());
                if (id.equals(reply.path("requestId").asText())) {
                    return reply;
                }
            }
        }

        @Override
        public void close() throws Exception {
            socket.close();
        }
    }
}
