package io.presence.signaling.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.node.IntNode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The byte scanner either declines a frame or reads exactly the fields the streaming parser reads (names, values,
 * value node types: int vs long, in frame order). Generated frames (fixed seed, bounded count) are near-JSON built
 * from pieces that sit on every edge the scanner declines at.
 */
class FlatObjectScannerTest {
    private static final int FRAMES = 50_000;
    private static final JsonFactory JACKSON = JsonFactory.builder()
            .disable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private static final String[] NAMES = {"\"type\"", "\"requestId\"", "\"roomId\"", "\"n\"", "\"a b\"", "\"\"",
            "\"t\\\"q\"", "\"é\"", "\"x\u0001\"", "type", "\"to\""};
    private static final String[] VALUES = {"\"live.signal\"", "\"\"", "\"a\\nb\"", "\"\\u0041\"", "\"ü\"",
            "\"\u007f\"", "\"tab\tin\"", "0", "-0", "7", "-7", "01", "1.5", "1e3", "2147483647", "2147483648",
            "-2147483648", "-2147483649", "999999999999999999", "9999999999999999999", "-", "true", "false", "null",
            "truex", "nul", "truefalse", "falsetrue", "truenull", "nullfalse", "{}", "[]", "\"unterminated",
            // longer than one 8-byte word, a special byte at varying offsets (the scanner reads words)
            "\"candidate:1 1 udp 1 198.51.100.7 5 typ host\"", "\"abcdefgh\\\"ijklmnop\"", "\"abcdefghijk\u0001lmnop\"",
            "\"abcdefghijklmné\"", "\"abcdefg\u007fhijklmnop\"", "\"abcdefghijklmnopq\"", "\"abcdefghijklmnopqrstuvw\u001f\""};
    private static final String[] GLUE = {"", " ", "\t", "\r\n", "\u000b", ",", ",,", ":"};

    /** A literal glued to another is not the second one: the scanner declines, Jackson refuses. */
    @Test
    void declinesLiteralsGluedTogether() {
        for (String glued : new String[] {"truefalse", "falsetrue", "truenull", "nullfalse", "nulltrue"}) {
            byte[] bytes = ("{\"type\":\"live.media\",\"muted\":" + glued + "}").getBytes(StandardCharsets.UTF_8);
            assertNull(FlatObjectScanner.scan(bytes, 0, bytes.length), glued);
        }
    }

    @Test
    void declinesOrAgreesWithTheStreamingParser() throws Exception {
        Random random = new Random(20261125L);
        int scanned = 0;
        for (int i = 0; i < FRAMES; i++) {
            String frame = frame(random);
            byte[] bytes = frame.getBytes(StandardCharsets.UTF_8);
            FlatObject fast = FlatObjectScanner.scan(bytes, 0, bytes.length);
            if (fast == null) {
                continue;
            }
            scanned++;
            FlatObject reference = FlatObject.parse(JACKSON, bytes, 0, bytes.length);
            assertNotNull(reference, () -> "scanned what Jackson does not read flat: " + frame);
            assertEquals(reference.asMap(), fast.asMap(), frame);
            fast.asMap().forEach((name, value) -> assertEquals(reference.get(name).getClass(), value.getClass(), frame));
        }
        assertTrue(scanned > FRAMES / 20 && scanned < FRAMES / 2, "scanned " + scanned);
    }

    @Test
    void readsTheHotRequestsAndDeclinesTheRest() {
        for (String hot : List.of(
                "{\"type\":\"live.signal\",\"roomId\":\"r\",\"to\":\"p\",\"kind\":\"candidate\",\"candidate\":"
                        + "\"candidate:1 1 udp 1 198.51.100.7 5 typ host\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0}",
                "{\"type\":\"chat.send\",\"requestId\":\"12\",\"roomId\":\"r\",\"clientMsgId\":\"m\",\"text\":\"hi\"}",
                " { } ", "{\"a\":-12,\"b\":true,\"c\":null}")) {
            byte[] b = hot.getBytes(StandardCharsets.US_ASCII);
            assertNotNull(FlatObjectScanner.scan(b, 0, b.length), hot);
        }
        for (String other : List.of("", "{", "{}x", "{\"a\":1,}", "{\"a\":1 \"b\":2}", "{\"a\":\"\\\"\"}",
                "{\"a\":[1]}", "{\"a\":1,\"a\":2}", "[]", "{\"a\":1}{")) {
            byte[] b = other.getBytes(StandardCharsets.US_ASCII);
            assertNull(FlatObjectScanner.scan(b, 0, b.length), other);
        }
        byte[] framed = "xx{\"a\":1}yy".getBytes(StandardCharsets.US_ASCII);
        assertEquals(IntNode.valueOf(1), FlatObjectScanner.scan(framed, 2, 7).get("a"));
    }

    @Test
    void manyFieldsGrowTheObjectUpToItsLimit() throws Exception {
        for (int n = 0; n <= FlatObject.MAX_FIELDS + 2; n++) {
            StringBuilder sb = new StringBuilder("{");
            java.util.Map<String, com.fasterxml.jackson.databind.JsonNode> expected = new java.util.LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                sb.append(i == 0 ? "" : ",").append("\"f").append(i).append("\":").append(i);
                expected.put("f" + i, IntNode.valueOf(i));
            }
            byte[] b = sb.append('}').toString().getBytes(StandardCharsets.US_ASCII);
            FlatObject fast = FlatObjectScanner.scan(b, 0, b.length);
            FlatObject reference = FlatObject.parse(JACKSON, b, 0, b.length);
            if (n > FlatObject.MAX_FIELDS) {
                assertNull(fast, "fields: " + n);
                assertNull(reference, "fields: " + n);
            } else {
                assertEquals(expected, fast.asMap(), "fields: " + n);
                assertEquals(expected, reference.asMap(), "fields: " + n);
            }
        }
    }

    @Test
    void knownNamesAndTypesAreSharedConstants() {
        byte[] b = "{\"type\":\"live.signal\",\"kind\":\"candidate\",\"typo\":\"x\"}".getBytes(StandardCharsets.US_ASCII);
        FlatObject o = FlatObjectScanner.scan(b, 0, b.length);
        java.util.List<String> names = new java.util.ArrayList<>(o.asMap().keySet());
        assertSame("type", names.get(0));
        assertSame("kind", names.get(1));
        assertEquals("typo", names.get(2));
        assertSame("live.signal", o.get("type").textValue());
        assertSame("candidate", o.get("kind").textValue());
        assertNull(KnownStrings.find(b, 2, 3));
    }

    private static String frame(Random r) {
        StringBuilder sb = new StringBuilder(r.nextInt(10) == 0 ? " " : "").append('{');
        int fields = r.nextInt(5);
        for (int f = 0; f < fields; f++) {
            if (f > 0) {
                sb.append(r.nextInt(8) == 0 ? GLUE[r.nextInt(GLUE.length)] : ",");
            }
            sb.append(NAMES[r.nextInt(NAMES.length)]);
            sb.append(r.nextInt(6) == 0 ? GLUE[r.nextInt(GLUE.length)] : "").append(':');
            sb.append(r.nextInt(6) == 0 ? GLUE[r.nextInt(GLUE.length)] : "");
            sb.append(VALUES[r.nextInt(VALUES.length)]);
        }
        sb.append(r.nextInt(10) == 0 ? GLUE[r.nextInt(GLUE.length)] : "").append('}');
        if (r.nextInt(10) == 0) {
            sb.append(GLUE[r.nextInt(GLUE.length)]);
        }
        return sb.toString();
    }
}
