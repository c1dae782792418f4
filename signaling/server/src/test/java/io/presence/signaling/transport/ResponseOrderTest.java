package io.presence.signaling.transport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.presence.signaling.client.ClientOptions.Transport;
import io.presence.signaling.client.ClientSession;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Responses to the requests of one connection arrive in request order, whatever path each takes: a room on another
 * loop, a rate-limit refusal, a frame the decoder refused, a pong; and no event overtakes the response to a
 * request sent before it.
 */
class ResponseOrderTest extends LoopbackServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One frame sent, and what its response must be: {@code type} and {@code code}/{@code limit}, or an ack. */
    private record Expect(String frame, String requestId, String what) {
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrderThoughSomeAreRefusedOrMalformed() throws Exception {
        int burst = 6;
        ts = new TestServer(TestServer.settings().messageRate(1, burst).maxFrameBytes(1024)
                .rateLimitCloseAfter(Duration.ofMinutes(1)).build());
        // The room lives on its creator's loop; the raw client's requests to it hop there and back, while refusals
        // and pongs are ready at once: exactly what could overtake.
        ClientSession owner = ts.session(Transport.WS, "owner");
        String room = owner.createRoom();
        try (Socket s = new Socket()) {
            s.connect(ts.server.tcpAddress());
            s.setSoTimeout(10_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            OutputStream out = s.getOutputStream();
            write(out, "{\"type\":\"hello\",\"requestId\":\"h\",\"version\":1,\"auth\":{\"provider\":\"dev\","
                    + "\"displayName\":\"piper\"}}\n{\"type\":\"room.join\",\"requestId\":\"j\",\"roomId\":\"" + room
                    + "\"}\n");
            assertEquals("welcome", nextResponse(in, new ArrayList<>()).get("type").asText());
            assertEquals("room.joined", nextResponse(in, new ArrayList<>()).get("type").asText());

            List<Expect> frames = new ArrayList<>();
            int tokens = burst - 1; // room.join took one
            for (int i = 0; i < 40; i++) {
                String rid = "q" + i;
                switch (i % 8) {
                    case 2 -> frames.add(new Expect("{\"type\":", null, "error/malformed_json"));
                    case 4 -> frames.add(new Expect("{\"type\":\"ping\",\"requestId\":\"" + rid + "\"}", rid, "pong"));
                    case 5 -> frames.add(new Expect("{\"type\":\"chat.send\",\"requestId\":\"" + rid
                            + "\",\"roomId\":5}", rid, "error/invalid_field"));
                    case 6 -> frames.add(new Expect("{\"type\":\"chat.send\",\"requestId\":\"" + rid + "\",\"text\":\""
                            + "x".repeat(2000) + "\"}", null, "error/frame_bytes"));
                    default -> frames.add(new Expect(chat(rid, room), rid,
                            tokens-- > 0 ? "chat.ack" : "error/message_rate"));
                }
            }
            StringBuilder all = new StringBuilder();
            frames.forEach(f -> all.append(f.frame()).append('\n'));
            write(out, all.toString()); // one write: every frame is in before the first response is ready

            List<JsonNode> events = new ArrayList<>();
            Map<String, Integer> ackedAt = new HashMap<>();
            for (int i = 0; i < frames.size(); i++) {
                Expect e = frames.get(i);
                JsonNode r = nextResponse(in, events);
                assertEquals(e.what(), describe(r), "response " + i + " (to " + abbreviate(e.frame()) + "): " + r);
                if (e.requestId() == null) {
                    assertTrue(r.path("requestId").isMissingNode(), "response " + i + ": " + r);
                } else {
                    assertEquals(e.requestId(), r.get("requestId").asText(), "response " + i);
                }
                if (r.get("type").asText().equals("chat.ack")) {
                    ackedAt.put(r.get("clientMsgId").asText(), events.size());
                }
            }
            assertEquals(burst - 1, ackedAt.size());
            // The sender's own copy of each accepted message comes after its ack, never before.
            for (Map.Entry<String, Integer> acked : ackedAt.entrySet()) {
                for (int k = 0; k < acked.getValue(); k++) {
                    JsonNode m = events.get(k).path("event").path("message");
                    assertTrue(!acked.getKey().equals(m.path("clientMsgId").asText()),
                            "chat.message " + acked.getKey() + " before its ack");
                }
            }
        }
    }

    @Test
    void framesPipelinedBehindHelloAreAnsweredAfterTheWelcomeInOrder() throws Exception {
        ts = TestServer.start();
        try (Socket s = new Socket()) {
            s.connect(ts.server.tcpAddress());
            s.setSoTimeout(10_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            StringBuilder frames = new StringBuilder("{\"type\":\"hello\",\"requestId\":\"h\",\"version\":1,"
                    + "\"auth\":{\"provider\":\"dev\",\"displayName\":\"eager\"}}\n");
            List<String> expected = new ArrayList<>(List.of("welcome"));
            frames.append("{\"type\":\"ping\",\"requestId\":\"p0\"}\n");
            expected.add("pong");
            frames.append("{nope\n");
            expected.add("error/malformed_json");
            for (int i = 1; i <= 20; i++) {
                frames.append("{\"type\":\"room.create\",\"requestId\":\"c").append(i).append("\"}\n");
                // One place is the ping's: 15 more requests are held, the rest refused (in their place).
                expected.add(i <= 15 ? "room.joined" : "error/hello_required");
            }
            write(s.getOutputStream(), frames.toString());
            List<JsonNode> events = new ArrayList<>();
            for (int i = 0; i < expected.size(); i++) {
                JsonNode r = nextResponse(in, events);
                assertEquals(expected.get(i), describe(r), "response " + i + ": " + r);
            }
        }
    }

    private static String chat(String rid, String room) {
        return "{\"type\":\"chat.send\",\"requestId\":\"" + rid + "\",\"roomId\":\"" + room + "\",\"clientMsgId\":\""
                + rid + "\",\"text\":\"hi\"}";
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** The next frame that is not an event (events are collected) nor a server ping. */
    private static JsonNode nextResponse(BufferedReader in, List<JsonNode> events) throws IOException {
        while (true) {
            String line = in.readLine();
            assertNotNull(line, "connection closed");
            JsonNode n = JSON.readTree(line);
            String type = n.get("type").asText();
            if (type.equals("event")) {
                events.add(n);
            } else if (!type.equals("ping")) {
                return n;
            }
        }
    }

    private static String describe(JsonNode r) {
        String type = r.get("type").asText();
        if (!type.equals("error")) {
            return type;
        }
        return "error/" + (r.has("limit") ? r.get("limit").asText() : r.get("code").asText());
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 60) + "…";
    }
}
