package io.presence.signaling.app;

import io.presence.signaling.app.config.PresenceConfig;
import io.presence.signaling.client.ClientSession;
import io.presence.signaling.client.SignalingClient;
import io.presence.signaling.protocol.IceServer;
import io.presence.signaling.protocol.ServerMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The appliance wires calls to its own relay, or to an external coturn when configured. */
class LiveApplianceTest {

    @TempDir
    Path data;

    private ServerMessage.CallJoined joinCall(Map<String, String> extraEnv) throws Exception {
        Map<String, String> env = TestConfigs.ephemeralEnv(data);
        env.put("PRESENCE_SIGNALING_DEV_AUTH", "true");
        env.putAll(extraEnv);
        try (Appliance a = new Appliance(PresenceConfig.load(null, env),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))) {
            a.start();
            try (SignalingClient clients = SignalingClient.builder().webSocket(a.webSocketAddress()).build()) {
                ClientSession client = clients.connect();
                client.hello("ann");
                String room = client.createRoom(true);
                return client.joinCall(room);
            }
        }
    }

    @Test
    void callsGetThisAppliancesRelayAtThePublicHost() throws Exception {
        ServerMessage.CallJoined call = joinCall(Map.of("PRESENCE_SERVER_PUBLIC_HOST", "calls.example.org",
                "PRESENCE_LIVE_CREDENTIAL_TTL", "5m"));
        IceServer server = call.ice().iceServers().get(0);
        assertTrue(server.urls().stream().allMatch(u -> u.contains("calls.example.org:")), server.urls().toString());
        assertTrue(server.urls().get(0).startsWith("stun:"), server.urls().toString());
        assertEquals(300, call.ice().ttlSeconds());
        assertEquals("relay", call.ice().iceTransportPolicy());
        assertTrue(server.username().matches("\\d+:" + call.roomId() + ":" + call.memberId() + "\\.1"),
                server.username());
    }

    @Test
    void externalRelayModeMintsCoturnCredentialsForTheConfiguredUrls() throws Exception {
        ServerMessage.CallJoined call = joinCall(Map.of(
                "PRESENCE_LIVE_EXTERNAL_TURN_URLS", "turn:coturn.example.org:3478?transport=udp",
                "PRESENCE_LIVE_EXTERNAL_TURN_SECRET", "coturn-secret-5d8e1f3a7c"));
        IceServer server = call.ice().iceServers().get(0);
        assertEquals(List.of("turn:coturn.example.org:3478?transport=udp"), server.urls());
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec("coturn-secret-5d8e1f3a7c".getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        String expected = Base64.getEncoder().encodeToString(
                mac.doFinal(server.username().getBytes(StandardCharsets.UTF_8)));
        assertEquals(expected, server.credential(), "coturn's use-auth-secret scheme");
    }
}
