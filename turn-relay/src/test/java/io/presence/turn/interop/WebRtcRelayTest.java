package io.presence.turn.interop;

import io.presence.turn.TurnFixture;
import io.presence.turn.auth.TurnCredentials;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A Node WebRTC peer pair ({@code @roamhq/wrtc}, libwebrtc) with {@code iceTransportPolicy: 'relay'} and
 * credentials minted by this server exchanges a data-channel message; both selected candidate pairs must be
 * relay ↔ relay through this server. No allow-list: the two relayed addresses reach each other through the
 * in-process hand-off. Needs {@code npm ci --prefix turn-relay/src/test/node}.
 */
class WebRtcRelayTest {
    private static final File PROJECT = new File("src/test/node");
    private static final Pattern RELAY = Pattern.compile("\"type\":\"relay\",\"address\":\"127\\.0\\.0\\.1:(\\d+)\"");

    private TurnFixture f;

    @AfterEach
    void stop() {
        if (f != null) {
            f.close();
        }
    }

    @Test
    void dataChannelOverRelayCandidatesOnly() throws Exception {
        String node = ExternalTool.require("node");
        if (!new File(PROJECT, "node_modules/@roamhq/wrtc").isDirectory()) {
            if ("required".equals(System.getenv("PRESENCE_E2E"))) {
                throw new AssertionError("run: npm ci --prefix turn-relay/src/test/node");
            }
            org.junit.jupiter.api.Assumptions.abort("@roamhq/wrtc not installed (npm ci --prefix turn-relay/src/test/node)");
        }
        f = new TurnFixture(b -> b.allowPeers(List.of()));
        TurnCredentials a = f.server.control().mint("call", "alice", java.time.Duration.ofMinutes(10));
        TurnCredentials b = f.server.control().mint("call", "bob", java.time.Duration.ofMinutes(10));
        File log = File.createTempFile("wrtc", ".log");
        try {
            Process p = new ProcessBuilder(node, "relay-pair.js", "127.0.0.1",
                    Integer.toString(f.server.udpAddress().getPort()), a.username(), a.password(), b.username(),
                    b.password()).directory(PROJECT).redirectErrorStream(true).redirectOutput(log).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("node did not finish:\n" + Files.readString(log.toPath()));
            }
            String out = Files.readString(log.toPath());
            assertEquals(0, p.exitValue(), out);
            assertTrue(out.contains("\"message\":\"hello through the relay\""), out);
            Matcher m = RELAY.matcher(out);
            int relays = 0;
            while (m.find()) {
                int port = Integer.parseInt(m.group(1));
                assertTrue(port >= TurnFixture.PORT_MIN && port <= TurnFixture.PORT_MAX, "relay port of this server: " + out);
                relays++;
            }
            assertEquals(4, relays, "both selected pairs relay <-> relay: " + out);
            assertTrue(f.counter("turn.handoffs") > 0, "relayed through the in-process hand-off");
        } finally {
            log.delete();
        }
    }
}
