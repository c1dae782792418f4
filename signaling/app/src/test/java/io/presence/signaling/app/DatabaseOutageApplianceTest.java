package io.presence.signaling.app;

import io.presence.signaling.client.ClientSession;
import io.presence.signaling.client.SignalingClient;
import io.presence.signaling.client.SignalingException;
import io.presence.signaling.jdbc.TcpProxy;
import io.presence.signaling.protocol.ChatMessageView;
import io.presence.signaling.protocol.ClientMessage;
import io.presence.signaling.protocol.RoomEvent;
import io.presence.signaling.protocol.ServerMessage;
import org.h2.tools.Server;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The appliance (a child process) loses its database while in use and gets it back, without a restart: a
 * {@link TcpProxy} between its pool and the database (MariaDB; H2 through its TCP server) closes every connection
 * and stops listening. Meanwhile actions on a persistent room fail with {@code storage_unavailable}, an ephemeral
 * room's chat and a call between two members go on, /readyz answers 503 naming the database, and
 * {@code presence_storage_errors_total{kind="unavailable"}} counts the failures; afterwards chat in the persistent
 * room is acknowledged and kept and /readyz answers 200.
 */
class DatabaseOutageApplianceTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Pattern UNAVAILABLE = Pattern.compile(
            "(?m)^presence_storage_errors_total\\{[^}]*kind=\"unavailable\"[^}]*} (\\S+)$");
    private static final Pattern REACHABLE = Pattern.compile("(?m)^presence_storage_reachable(?:\\{[^}]*})? (\\S+)$");

    private static final String OFFER = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\n"
            + "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=ice-ufrag:abcd\r\n"
            + "a=ice-pwd:abcdefghijklmnopqrstuv\r\na=mid:0\r\na=rtpmap:111 opus/48000/2\r\n";

    @TempDir
    Path dir;
    private final HttpClient http = HttpClient.newHttpClient();

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "mariadb"})
    void persistentRoomsFailTypedWhileTheDatabaseIsAwayTheRestGoesOnAndAllRecovers(String kind) throws Exception {
        if (kind.equals("h2")) {
            Server h2 = Server.createTcpServer("-tcpPort", "0", "-ifNotExists", "-baseDir", dir.toString()).start();
            try (TcpProxy proxy = new TcpProxy(new InetSocketAddress("127.0.0.1", h2.getPort())).start()) {
                outage(proxy, "jdbc:h2:tcp://" + proxy.hostPort() + "/presence;MODE=MySQL;DATABASE_TO_LOWER=TRUE");
            } finally {
                h2.stop();
            }
            return;
        }
        try (MariaDbSchema schema = MariaDbSchema.create();
             TcpProxy proxy = new TcpProxy(new InetSocketAddress("127.0.0.1", 3306)).start()) {
            outage(proxy, schema.url(proxy.hostPort()));
        }
    }

    private void outage(TcpProxy proxy, String storageUrl) throws Exception {
        Map<String, String> env = TestConfigs.ephemeralEnv(dir.resolve("data"));
        env.put("PRESENCE_SIGNALING_DEV_AUTH", "true");
        env.put("PRESENCE_STORAGE_URL", storageUrl);
        env.put("PRESENCE_STORAGE_USER", "root");
        try (ChildAppliance appliance = ChildAppliance.start(dir, env);
             SignalingClient clients = SignalingClient.builder().webSocket(appliance.webSocket()).build()) {
            ClientSession ann = clients.connect();
            ann.hello("ann");
            ClientSession bob = clients.connect();
            bob.hello("bob");
            String kept = ann.createRoom();
            ann.nameRoom(kept, "Kept");
            ann.chat(kept, "before", "before the outage");
            String ephemeral = ann.createRoom();
            bob.join(ephemeral);
            String toName = ann.createRoom();
            assertEquals(200, readyz(appliance, 200).statusCode());

            proxy.stop();
            assertEquals("storage_unavailable", refusal(ann, new ClientMessage.SendChat(ann.nextRequestId(), kept,
                    "during", "while the database is away", null)));
            assertEquals("storage_unavailable", refusal(ann, new ClientMessage.NameRoom(ann.nextRequestId(), toName,
                    "Never")));
            assertFalse(ann.chat(ephemeral, "e1", "ephemeral chat goes on").duplicate());
            ServerMessage.CallJoined annCall = ann.joinCall(ephemeral);
            ServerMessage.CallJoined bobCall = bob.joinCall(ephemeral);
            bob.sdp(ephemeral, annCall.memberId(), "offer", OFFER);
            RoomEvent.Signal offer = ann.awaitEvent(RoomEvent.Signal.class, WAIT);
            assertEquals(bobCall.memberId(), offer.from());
            HttpResponse<String> down = readyz(appliance, 503);
            assertEquals(503, down.statusCode());
            assertTrue(down.body().contains("database: unreachable: "), down.body());
            double unavailable = sample(appliance, UNAVAILABLE);
            assertTrue(unavailable >= 2, "errors{kind=unavailable} = " + unavailable);
            assertEquals(0.0, sample(appliance, REACHABLE));

            proxy.start();
            ServerMessage.ChatAck after = null;
            for (int attempt = 0; attempt < 30 && after == null; attempt++) {
                ServerMessage answer = ClientSession.await(ann.request(new ClientMessage.SendChat(
                        ann.nextRequestId(), kept, "after", "after the outage", null)), WAIT);
                if (answer instanceof ServerMessage.ChatAck ack) {
                    after = ack;
                } else {
                    assertEquals("storage_unavailable", assertInstanceOf(ServerMessage.Error.class, answer).code());
                    Thread.sleep(200);
                }
            }
            assertNotNull(after, "chat in the persistent room did not recover");
            assertEquals(200, readyz(appliance, 200).statusCode());
            assertEquals(java.util.List.of("before", "after"), ann.history(kept, null, 10).messages().stream()
                    .map(ChatMessageView::clientMsgId).toList(), "kept once, nothing from the outage");
            ann.nameRoom(toName, "Named after");
            assertEquals(1.0, sample(appliance, REACHABLE));
            assertTrue(sample(appliance, ackCount("persistent")) >= 2, "ack latency of the persistent room's acks");
            assertTrue(sample(appliance, ackCount("ephemeral")) >= 1, "ack latency of the ephemeral room's ack");
            assertTrue(sample(appliance, Pattern.compile("(?m)^hikaricp_connections_timeout_total\\{[^}]*} (\\S+)$"))
                    >= 0, "the pool's meters reach the registry");
        }
    }

    private static String refusal(ClientSession session, ClientMessage request) {
        ServerMessage answer = ClientSession.await(session.request(request), WAIT);
        return assertInstanceOf(ServerMessage.Error.class, answer, String.valueOf(answer)).code();
    }

    /** Polls /readyz until it answers {@code status} (bounded) and returns the last answer. */
    private HttpResponse<String> readyz(ChildAppliance appliance, int status) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        HttpResponse<String> r;
        do {
            r = http.send(HttpRequest.newBuilder(URI.create(appliance.admin() + "/readyz")).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != status) {
                Thread.sleep(100);
            }
        } while (r.statusCode() != status && System.nanoTime() < deadline);
        return r;
    }

    private static Pattern ackCount(String room) {
        return Pattern.compile("(?m)^presence_chat_ack_latency_seconds_count\\{[^}]*room=\"" + room
                + "\"[^}]*} (\\S+)$");
    }

    /** The value of the first /metrics sample {@code series} matches (group 1). */
    private double sample(ChildAppliance appliance, Pattern series) throws Exception {
        String metrics = http.send(HttpRequest.newBuilder(URI.create(appliance.admin() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = series.matcher(metrics);
        assertTrue(m.find(), metrics);
        return Double.parseDouble(m.group(1));
    }
}
