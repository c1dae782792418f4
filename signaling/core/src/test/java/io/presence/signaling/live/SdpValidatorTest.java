package io.presence.signaling.live;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.opentelecoms.javax.sdp.NistSdpFactory;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SdpValidatorTest {

    private static final String MINIMAL = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
            + "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=rtpmap:111 opus/48000/2\r\n";

    private final SdpValidator validator = new SdpValidator();

    static Iterable<String> fixtures() {
        return SdpFixtures.ALL;
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void browserOffersAreAcceptedAndForwardedByteForByte(String fixture) {
        byte[] original = SdpFixtures.bytes(fixture);
        String sdp = new String(original, StandardCharsets.UTF_8);

        SdpValidation.Valid valid = assertInstanceOf(SdpValidation.Valid.class, validator.validate(sdp));

        assertSame(sdp, valid.sdp());
        assertArrayEquals(original, valid.sdp().getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void countsMediaSections() {
        Map<String, Integer> expected = Map.of(SdpFixtures.CHROME, 3, SdpFixtures.CHROME_MDNS, 2,
                SdpFixtures.FIREFOX, 3, SdpFixtures.FIREFOX_TRICKLE, 2, SdpFixtures.CHROME_ANSWER, 3);
        expected.forEach((fixture, count) -> assertEquals(count,
                ((SdpValidation.Valid) validator.validate(SdpFixtures.text(fixture))).mediaSections(), fixture));
    }

    @Test
    void nineteenDigitSessionIdSurvivesAlthoughTheParserTruncatesIt() throws Exception {
        String sdp = SdpFixtures.text(SdpFixtures.CHROME);
        String origin = "o=- 7142803561846391457 2 IN IP4 127.0.0.1\r\n";

        SdpValidation.Valid valid = (SdpValidation.Valid) validator.validate(sdp);

        assertTrue(valid.sdp().contains(origin));
        // The pitfall this class works around: the JAIN model keeps only the last 18 digits.
        String parsedId = String.valueOf(new NistSdpFactory().createSessionDescription(sdp).getOrigin().getSessionId());
        assertNotEquals("7142803561846391457", parsedId);
    }

    @Test
    void firefoxOriginSurvives() {
        String sdp = SdpFixtures.text(SdpFixtures.FIREFOX);
        SdpValidation.Valid valid = (SdpValidation.Valid) validator.validate(sdp);
        assertTrue(valid.sdp().startsWith(
                "v=0\r\no=mozilla...THIS_IS_SDPARTA-99.0 5234198763201458772 0 IN IP4 0.0.0.0\r\n"));
    }

    @Test
    void lfLineEndingsAndAnUnterminatedLastLineAreAccepted() {
        String lf = SdpFixtures.text(SdpFixtures.FIREFOX).replace("\r\n", "\n");
        assertSame(lf, ((SdpValidation.Valid) validator.validate(lf)).sdp());
        String unterminated = MINIMAL.substring(0, MINIMAL.length() - 2);
        assertSame(unterminated, ((SdpValidation.Valid) validator.validate(unterminated)).sdp());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\r\n", "\n\n\n", "  \r\n\t"})
    void blankIsEmpty(String sdp) {
        assertEquals(SdpRejection.EMPTY, reason(sdp));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "garbage",
            "hello world\r\nfoo",
            "<html><body>offer</body></html>",
            "{\"type\":\"offer\",\"sdp\":\"v=0\"}",
            "o=- 1 2 IN IP4 127.0.0.1\r\nv=0\r\nm=audio 9 RTP/AVP 0\r\n",
            "v=1\r\nm=audio 9 RTP/AVP 0\r\n",
            "v=0\r\nx=unknown\r\nm=audio 9 RTP/AVP 0\r\n",
            "v=0\r\nM=audio 9 RTP/AVP 0\r\n",
            "v=0\r\n\r\nm=audio 9 RTP/AVP 0\r\n",
            "v=0\rm=audio 9 RTP/AVP 0\r\n",
            "v=0\r\nm=\r\n",
            "v=0\r\nm= audio 9 RTP/AVP 0\r\n",
            "v=0\r\nv=0\r\nm=audio 9 RTP/AVP 0\r\n",
            "v=0\r\na\r\nm=audio 9 RTP/AVP 0\r\n"})
    void notSdpLineStructureIsMalformed(String sdp) {
        assertEquals(SdpRejection.MALFORMED, reason(sdp));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "v=0\r\nm=audio\r\n",
            "v=0\r\nm=audio abc RTP/AVP 0\r\n",
            "v=0\r\no=-\r\nm=audio 9 RTP/AVP 0\r\n"})
    void parserRefusalIsUnparsable(String sdp) {
        assertEquals(SdpRejection.UNPARSABLE, reason(sdp));
    }

    @Test
    void sessionWithoutMediaIsRefused() {
        assertEquals(SdpRejection.NO_MEDIA, reason("v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"));
        assertEquals(SdpRejection.NO_MEDIA, reason("v=0\r\n"));
        String chrome = SdpFixtures.text(SdpFixtures.CHROME);
        assertEquals(SdpRejection.NO_MEDIA, reason(chrome.substring(0, chrome.indexOf("m=audio"))));
    }

    @Test
    void oversizedIsRefusedBeforeParsing() {
        String chrome = SdpFixtures.text(SdpFixtures.CHROME);
        StringBuilder big = new StringBuilder(chrome);
        while (big.length() <= SdpValidator.DEFAULT_MAX_BYTES) {
            big.append("a=x-padding:0123456789abcdef0123456789abcdef\r\n");
        }
        assertEquals(SdpRejection.TOO_LARGE, reason(big.toString()));
        assertEquals(SdpRejection.TOO_LARGE, new SdpValidator(1024).validate(chrome) instanceof SdpValidation.Invalid i
                ? i.reason() : null);
        // The limit is in UTF-8 bytes: 400 three-byte characters are 1200 bytes.
        String wide = MINIMAL + "a=x-note:" + "\u20ac".repeat(400) + "\r\n";
        assertInstanceOf(SdpValidation.Valid.class, new SdpValidator(2048).validate(wide));
        assertInstanceOf(SdpValidation.Invalid.class, new SdpValidator(1024).validate(wide));
    }

    @Test
    void tooManyMediaSectionsIsTooLarge() {
        StringBuilder sdp = new StringBuilder("v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n");
        for (int i = 0; i < SdpValidator.MAX_MEDIA_SECTIONS; i++) {
            sdp.append("m=audio 9 UDP/TLS/RTP/SAVPF 111\r\n");
        }
        assertInstanceOf(SdpValidation.Valid.class, validator.validate(sdp.toString()));
        sdp.append("m=audio 9 UDP/TLS/RTP/SAVPF 111\r\n");
        assertEquals(SdpRejection.TOO_LARGE, reason(sdp.toString()));
    }

    @Test
    void exactlyAtTheLimitIsAccepted() {
        int size = MINIMAL.getBytes(StandardCharsets.UTF_8).length;
        assertInstanceOf(SdpValidation.Valid.class, new SdpValidator(size).validate(MINIMAL));
        assertEquals(SdpRejection.TOO_LARGE, ((SdpValidation.Invalid) new SdpValidator(size - 1)
                .validate(MINIMAL)).reason());
    }

    @Test
    void binaryJunkIsRefused() {
        Random random = new Random(6);
        for (int i = 0; i < 50; i++) {
            byte[] junk = new byte[1 + random.nextInt(2000)];
            random.nextBytes(junk);
            for (String text : new String[] {new String(junk, StandardCharsets.ISO_8859_1),
                    new String(junk, StandardCharsets.UTF_8), "v=0\r\n" + new String(junk, StandardCharsets.UTF_8)}) {
                assertInstanceOf(SdpValidation.Invalid.class, validator.validate(text), "junk #" + i);
            }
        }
        assertEquals(SdpRejection.ILLEGAL_CHARACTER, reason(MINIMAL + "a=x:\u0000\r\n"));
        assertEquals(SdpRejection.ILLEGAL_CHARACTER, reason(MINIMAL + "a=x:\u001b[31m\r\n"));
        assertEquals(SdpRejection.ILLEGAL_CHARACTER, reason(MINIMAL + "a=x:\ud800\r\n"));
        assertInstanceOf(SdpValidation.Valid.class, validator.validate(MINIMAL + "a=x-name:\ud83d\ude00\r\n"));
    }

    @Test
    void parserErrorsNeverReachStderr() {
        PrintStream saved = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            assertEquals(SdpRejection.UNPARSABLE, reason("v=0\r\nm=audio\r\n"));
            assertEquals(SdpRejection.UNPARSABLE, reason("v=0\r\no=-\r\nm=audio 9 RTP/AVP 0\r\n"));
            assertEquals(SdpRejection.UNPARSABLE, reason("v=0\r\nb=AS\r\nm=audio 9 RTP/AVP 0\r\n"));
            assertEquals(0, captured.size(), () -> "stderr got: " + captured);
            System.err.print("other output still flows");
            assertEquals("other output still flows", captured.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(saved);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "candidate:2999745851 1 udp 2122260223 192.168.1.23 54321 typ host generation 0 network-id 1",
            "candidate:1 1 UDP 1686052863 203.0.113.45 51234 typ srflx raddr 192.168.1.23 rport 51234",
            "a=candidate:2 1 UDP 92217343 198.51.100.10 63310 typ relay raddr 203.0.113.45 rport 51234",
            "candidate:1560499547 1 udp 2113937151 2cf0b2c0-0842-4fe3-aaa0.local 60784 typ host generation 0",
            "candidate:7 1 TCP 2105458943 2001:db8:85a3::8a2e:370:7334 9 typ host tcptype active"})
    void browserCandidatesAreAccepted(String candidate) {
        assertSame(candidate, ((SdpValidation.Valid) validator.validateCandidate(candidate)).sdp());
    }

    @Test
    void badCandidatesAreRefused() {
        assertEquals(SdpRejection.EMPTY, validator.validateCandidate("") instanceof SdpValidation.Invalid i
                ? i.reason() : null);
        assertEquals(SdpRejection.UNPARSABLE, candidateReason("garbage"));
        assertEquals(SdpRejection.UNPARSABLE, candidateReason("candidate:1 1 udp 1 192.0.2.1 99999 typ host"));
        assertEquals(SdpRejection.UNPARSABLE, candidateReason("candidate:1 1 udp 1 192.0.2.1 5000 type host"));
        assertEquals(SdpRejection.UNPARSABLE, candidateReason("candidate:1 1 udp 1 192.0.2.1 5000 typ host raddr"));
        assertEquals(SdpRejection.MALFORMED,
                candidateReason("candidate:1 1 udp 1 192.0.2.1 5000 typ host\r\na=candidate:2 1 udp 1 x 1 typ host"));
        assertEquals(SdpRejection.ILLEGAL_CHARACTER, candidateReason("candidate:1 1 udp 1 192.0.2.1 5000 typ\u0000"));
        assertEquals(SdpRejection.TOO_LARGE, candidateReason("candidate:1 1 udp 1 192.0.2.1 5000 typ host"
                + " x y".repeat(400)));
    }

    @Test
    void rejectsImpossibleLimit() {
        assertThrows(IllegalArgumentException.class, () -> new SdpValidator(10));
    }

    private SdpRejection reason(String sdp) {
        SdpValidation result = validator.validate(sdp);
        return result instanceof SdpValidation.Invalid invalid ? invalid.reason() : null;
    }

    private SdpRejection candidateReason(String candidate) {
        SdpValidation result = validator.validateCandidate(candidate);
        return result instanceof SdpValidation.Invalid invalid ? invalid.reason() : null;
    }
}
