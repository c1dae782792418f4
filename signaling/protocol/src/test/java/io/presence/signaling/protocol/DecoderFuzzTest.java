package io.presence.signaling.protocol;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Property tests: the decoder never throws, always answers with a message or a typed rejection, and what the
 * client library encodes decodes back to the same message. Bounded in count and time; the seed is printed on
 * failure so a case can be replayed.
 */
class DecoderFuzzTest {
    static final int ITERATIONS = 20_000;
    static final long TIME_BUDGET_NANOS = 5_000_000_000L;

    final ClientMessageDecoder decoder = new ClientMessageDecoder();
    final ProtocolJson json = new ProtocolJson();

    static final List<ClientMessage> SAMPLES = List.of(
            new ClientMessage.Hello("1", 1, new ClientMessage.Credentials("dev", "Ann", "https://a/b.png", null), null),
            new ClientMessage.Hello("2", 1, null, new ClientMessage.Resume("tokentokentoken", 42)),
            new ClientMessage.Bye("3"),
            new ClientMessage.Ping("4"),
            new ClientMessage.Pong(null),
            new ClientMessage.CreateRoom("5"),
            new ClientMessage.JoinRoom("6", "roomroomroomroomroomro"),
            new ClientMessage.LeaveRoom("7", "roomroomroomroomroomro"),
            new ClientMessage.SendChat("8", "roomroomroomroomroomro", "cm-1", "héllo \"wörld\"\n\u2028", 3L),
            new ClientMessage.GetHistory("9", "roomroomroomroomroomro", 100L, 20),
            new ClientMessage.Typing("10", "roomroomroomroomroomro", true),
            new ClientMessage.UpdateProfile("11", "Änne", null),
            new ClientMessage.CreateRoom("12", true),
            new ClientMessage.JoinCall("13", "roomroomroomroomroomro"),
            new ClientMessage.LeaveCall("14", "roomroomroomroomroomro"),
            new ClientMessage.Signal("15", "roomroomroomroomroomro", "peer", "offer", "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\n",
                    null, null, null, true),
            new ClientMessage.Signal("16", "roomroomroomroomroomro", "peer", "candidate", null,
                    "candidate:1 1 udp 1 198.51.100.10 5000 typ relay raddr 0.0.0.0 rport 0", "0", 0, null),
            new ClientMessage.Signal("17", "roomroomroomroomroomro", "peer", "end-of-candidates", null, null, null,
                    null, null),
            new ClientMessage.MediaState("18", "roomroomroomroomroomro", true, false, null),
            new ClientMessage.RefreshCredentials("19", "roomroomroomroomroomro"));

    @Test
    void encodedClientMessagesDecodeToThemselves() {
        for (ClientMessage m : SAMPLES) {
            byte[] bytes = json.encode(m);
            DecodeResult r = decoder.decode(bytes);
            assertEquals(new DecodeResult.Decoded(m), r, new String(bytes, StandardCharsets.UTF_8));
            assertEquals(r, decoder.decodeTree(bytes, 0, bytes.length));
            for (byte b : bytes) {
                assertTrue(b != '\n', "encoded frames never contain a raw newline (TCP framing)");
            }
        }
    }

    @Test
    void randomAndMutatedFramesNeverBreakTheDecoder() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        long deadline = System.nanoTime() + TIME_BUDGET_NANOS;
        int decoded = 0;
        int rejected = 0;
        for (int i = 0; i < ITERATIONS && System.nanoTime() < deadline; i++) {
            byte[] frame = switch (i % 4) {
                case 0 -> randomBytes(random);
                case 1 -> mutate(random, json.encode(SAMPLES.get(random.nextInt(SAMPLES.size()))));
                case 2 -> splice(random);
                default -> randomJsonish(random);
            };
            DecodeResult r;
            try {
                r = decoder.decode(frame);
            } catch (Throwable t) {
                throw new AssertionError("seed " + seed + " iteration " + i + ": decoder threw on "
                        + new String(frame, StandardCharsets.ISO_8859_1), t);
            }
            assertNotNull(r, "seed " + seed);
            // The streaming fast path (FlatObject) must agree with the full tree path on every input.
            assertEquals(decoder.decodeTree(frame, 0, frame.length), r, "seed " + seed + " iteration " + i + ": "
                    + new String(frame, StandardCharsets.ISO_8859_1));
            if (r instanceof DecodeResult.Rejected rej) {
                assertNotNull(rej.code(), "seed " + seed);
                assertNotNull(rej.message(), "seed " + seed);
                rejected++;
            } else {
                assertNotNull(((DecodeResult.Decoded) r).message().type(), "seed " + seed);
                decoded++;
            }
        }
        assertTrue(rejected > 0 && decoded > 0, "the generator exercises both outcomes (seed " + seed + "): "
                + decoded + " decoded, " + rejected + " rejected");
    }

    private static byte[] randomBytes(Random r) {
        byte[] b = new byte[r.nextInt(64)];
        r.nextBytes(b);
        return b;
    }

    private static byte[] mutate(Random r, byte[] frame) {
        byte[] b = frame.clone();
        int edits = 1 + r.nextInt(3);
        for (int e = 0; e < edits && b.length > 0; e++) {
            int pos = r.nextInt(b.length);
            switch (r.nextInt(3)) {
                case 0 -> b[pos] = (byte) r.nextInt(256);
                case 1 -> b[pos] = (byte) "{}[]\":,0-9 tfn\\".charAt(r.nextInt(15));
                default -> {
                    byte[] shorter = new byte[pos];
                    System.arraycopy(b, 0, shorter, 0, pos);
                    b = shorter;
                }
            }
        }
        return b;
    }

    private byte[] splice(Random r) {
        String a = new String(json.encode(SAMPLES.get(r.nextInt(SAMPLES.size()))), StandardCharsets.UTF_8);
        String b = new String(json.encode(SAMPLES.get(r.nextInt(SAMPLES.size()))), StandardCharsets.UTF_8);
        int cut = r.nextInt(a.length());
        int from = r.nextInt(b.length());
        return (a.substring(0, cut) + b.substring(from)).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] randomJsonish(Random r) {
        String[] types = {"hello", "bye", "ping", "pong", "room.create", "room.join", "room.leave", "chat.send",
                "chat.history", "typing", "profile.update", "x"};
        String[] fields = {"requestId", "roomId", "clientMsgId", "text", "replyTo", "before", "limit", "active",
                "version", "auth", "resume", "displayName"};
        String[] values = {"\"s\"", "1", "-1", "0", "1e3", "true", "false", "null", "{}", "[]", "\"\"",
                "{\"provider\":\"dev\"}", "{\"token\":\"t\",\"lastSeq\":0}", "99999999999999999999"};
        StringBuilder sb = new StringBuilder("{\"type\":\"").append(types[r.nextInt(types.length)]).append('"');
        int n = r.nextInt(6);
        for (int i = 0; i < n; i++) {
            sb.append(",\"").append(fields[r.nextInt(fields.length)]).append("\":")
                    .append(values[r.nextInt(values.length)]);
        }
        return sb.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }
}
