package io.presence.signaling.live;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RelayOnlyFilterTest {

    private final RelayOnlyFilter filter = new RelayOnlyFilter();

    static List<String> gathered() {
        return List.of(SdpFixtures.CHROME, SdpFixtures.CHROME_MDNS, SdpFixtures.FIREFOX, SdpFixtures.CHROME_ANSWER);
    }

    @ParameterizedTest
    @MethodSource("gathered")
    void onlyRelayCandidatesRemain(String fixture) {
        String out = filter.filterSdp(SdpFixtures.text(fixture)).sdp();
        for (String line : SdpFixtures.linesWithEndings(out)) {
            if (SdpFixtures.isCandidate(line)) {
                assertTrue(SdpFixtures.isRelay(line), line);
                assertFalse(line.toLowerCase().contains(".local"), line);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("gathered")
    void noClientAddressRemainsAnywhere(String fixture) {
        String in = SdpFixtures.text(fixture);
        Set<String> client = SdpFixtures.clientAddresses(in);
        assertFalse(client.isEmpty());

        String out = filter.filterSdp(in).sdp();

        for (String address : client) {
            assertFalse(out.contains(address), () -> fixture + " still contains " + address);
        }
        assertFalse(out.toLowerCase().contains(".local"));
    }

    @ParameterizedTest
    @MethodSource("gathered")
    void everyOtherLineIsByteIdenticalAndInOrder(String fixture) {
        String in = SdpFixtures.text(fixture);
        String out = filter.filterSdp(in).sdp();
        assertUntouchedLinesKept(in, out);
    }

    @ParameterizedTest
    @MethodSource("gathered")
    void relayCandidatesRemainInOrderWithRelatedAddressScrubbed(String fixture) {
        String in = SdpFixtures.text(fixture);
        List<String> expected = new ArrayList<>();
        for (String line : SdpFixtures.linesWithEndings(in)) {
            if (SdpFixtures.isRelay(line)) {
                expected.add(line.replaceAll(" raddr \\S+ rport \\d+", " raddr 0.0.0.0 rport 0"));
            }
        }
        List<String> actual = SdpFixtures.linesWithEndings(filter.filterSdp(in).sdp()).stream()
                .filter(SdpFixtures::isCandidate).toList();
        assertFalse(expected.isEmpty());
        assertEquals(expected, actual);
    }

    @ParameterizedTest
    @MethodSource("gathered")
    void outputIsStillValidSdpAndFilteringIsIdempotent(String fixture) {
        String once = filter.filterSdp(SdpFixtures.text(fixture)).sdp();
        assertInstanceOf(SdpValidation.Valid.class, new SdpValidator().validate(once));
        RelayOnlyResult twice = filter.filterSdp(once);
        assertEquals(once, twice.sdp());
        assertFalse(twice.changed());
    }

    @Test
    void countsByKind() {
        assertEquals(new StrippedCandidates(10, 3, 0, 0, 0),
                filter.filterSdp(SdpFixtures.text(SdpFixtures.CHROME)).stripped());
        assertEquals(new StrippedCandidates(0, 2, 0, 3, 0),
                filter.filterSdp(SdpFixtures.text(SdpFixtures.CHROME_MDNS)).stripped());
        assertEquals(new StrippedCandidates(7, 3, 0, 0, 0),
                filter.filterSdp(SdpFixtures.text(SdpFixtures.FIREFOX)).stripped());
        assertEquals(new StrippedCandidates(3, 1, 0, 0, 0),
                filter.filterSdp(SdpFixtures.text(SdpFixtures.CHROME_ANSWER)).stripped());
    }

    @Test
    void bundledAnswerSectionsWithoutCandidatesAreUntouched() {
        String in = SdpFixtures.text(SdpFixtures.CHROME_ANSWER);
        RelayOnlyResult result = filter.filterSdp(in);
        String out = result.sdp();
        assertTrue(out.contains("\r\nm=audio 60118 UDP/TLS/RTP/SAVPF 109 9 0 8 101\r\nc=IN IP4 198.51.100.10\r\n"
                + "a=rtcp:9 IN IP4 0.0.0.0\r\n"), out);
        String bundled = in.substring(in.indexOf("m=video"));
        assertTrue(out.endsWith(bundled), "bundled sections byte for byte");
        assertEquals(3, result.linesRewritten()); // m=, c= and the relay candidate's raddr of the first section
    }

    @Test
    void chromeDefaultCandidateBecomesTheRelay() {
        String out = filter.filterSdp(SdpFixtures.text(SdpFixtures.CHROME)).sdp();
        assertTrue(out.contains("\r\nm=audio 61234 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126\r\n"
                + "c=IN IP4 198.51.100.10\r\na=rtcp:9 IN IP4 0.0.0.0\r\n"
                + "a=candidate:3382936432 1 udp 41885439 198.51.100.10 61234 typ relay raddr 0.0.0.0 rport 0"
                + " generation 0 network-id 1 network-cost 10\r\n"
                + "a=candidate:1920584823 1 udp 25108223 198.51.100.10 61240 typ relay raddr 0.0.0.0 rport 0"
                + " generation 0 network-id 1 network-cost 10\r\na=ice-ufrag:Xa3f\r\n"), out);
        assertTrue(out.contains("\r\nm=video 61236 UDP/TLS/RTP/SAVPF 96 97 "), out);
        assertTrue(out.contains(
                "\r\nm=application 61238 UDP/DTLS/SCTP webrtc-datachannel\r\nc=IN IP4 198.51.100.10\r\n"));
        assertTrue(out.startsWith("v=0\r\no=- 7142803561846391457 2 IN IP4 127.0.0.1\r\n"));
    }

    @Test
    void firefoxKeepsOriginAndEndOfCandidates() {
        String out = filter.filterSdp(SdpFixtures.text(SdpFixtures.FIREFOX)).sdp();
        assertTrue(out.startsWith("v=0\r\no=mozilla...THIS_IS_SDPARTA-99.0 5234198763201458772 0 IN IP4 0.0.0.0\r\n"));
        assertTrue(out.contains("\r\nm=audio 63310 UDP/TLS/RTP/SAVPF 109 9 0 8 101\r\nc=IN IP4 198.51.100.10\r\n"
                + "a=candidate:2 1 UDP 92217343 198.51.100.10 63310 typ relay raddr 0.0.0.0 rport 0\r\n"
                + "a=candidate:5 1 UDP 8331263 198.51.100.10 63312 typ relay raddr 0.0.0.0 rport 0\r\n"
                + "a=sendrecv\r\na=end-of-candidates\r\n"), out);
    }

    @Test
    void offerWithoutCandidatesIsUnchanged() {
        String in = SdpFixtures.text(SdpFixtures.FIREFOX_TRICKLE);
        RelayOnlyResult result = filter.filterSdp(in);
        assertEquals(in, result.sdp());
        assertEquals(StrippedCandidates.NONE, result.stripped());
        assertFalse(result.changed());
    }

    @Test
    void sectionWithoutRelayFallsBackToDiscardPortAndUnspecifiedAddress() {
        String in = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
                + "m=audio 50000 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 203.0.113.9\r\n"
                + "a=rtcp:50001 IN IP4 203.0.113.9\r\n"
                + "a=candidate:1 1 udp 1686052607 203.0.113.9 50000 typ srflx raddr 10.0.0.5 rport 50000\r\n"
                + "a=candidate:1 2 udp 1686052606 203.0.113.9 50001 typ srflx raddr 10.0.0.5 rport 50001\r\n"
                + "m=video 50002 UDP/TLS/RTP/SAVPF 96\r\nc=IN IP6 2001:db8::5\r\n"
                + "a=candidate:2 1 udp 2122197247 2001:db8::5 50002 typ host\r\n"
                + "m=video 0 UDP/TLS/RTP/SAVPF 96\r\nc=IN IP4 0.0.0.0\r\na=bundle-only\r\n";
        RelayOnlyResult result = filter.filterSdp(in);
        assertEquals("v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
                + "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=rtcp:9 IN IP4 0.0.0.0\r\n"
                + "m=video 9 UDP/TLS/RTP/SAVPF 96\r\nc=IN IP6 ::\r\n"
                + "m=video 0 UDP/TLS/RTP/SAVPF 96\r\nc=IN IP4 0.0.0.0\r\na=bundle-only\r\n", result.sdp());
        assertEquals(new StrippedCandidates(1, 2, 0, 0, 0), result.stripped());
        assertEquals(5, result.linesRewritten());
    }

    @Test
    void rtcpFollowsComponentTwoRelay() {
        String in = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
                + "m=audio 50000 RTP/SAVPF 0\r\nc=IN IP4 203.0.113.9\r\na=rtcp:50001 IN IP4 203.0.113.9\r\n"
                + "a=candidate:3 1 udp 41885439 198.51.100.10 60000 typ relay raddr 203.0.113.9 rport 50000\r\n"
                + "a=candidate:3 2 udp 41885438 198.51.100.10 60001 typ relay raddr 203.0.113.9 rport 50001\r\n";
        String out = filter.filterSdp(in).sdp();
        assertTrue(out.contains("m=audio 60000 RTP/SAVPF 0\r\nc=IN IP4 198.51.100.10\r\n"
                + "a=rtcp:60001 IN IP4 198.51.100.10\r\n"), out);
        assertFalse(out.contains("203.0.113.9"));
    }

    @Test
    void originAddressIsReplacedButSessionIdKeptVerbatim() {
        String in = "v=0\r\no=alice 7142803561846391457 3 IN IP4 192.168.1.23\r\ns=-\r\nt=0 0\r\n"
                + "m=audio 9 RTP/AVP 0\r\nc=IN IP4 0.0.0.0\r\n";
        String out = filter.filterSdp(in).sdp();
        assertTrue(out.startsWith("v=0\r\no=alice 7142803561846391457 3 IN IP4 0.0.0.0\r\n"), out);
        String v6 = filter.filterSdp(in.replace("IN IP4 192.168.1.23", "IN IP6 2001:db8::7")).sdp();
        assertTrue(v6.startsWith("v=0\r\no=alice 7142803561846391457 3 IN IP6 ::\r\n"), v6);
    }

    @Test
    void sessionLevelConnectionIsUnspecified() {
        String in = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 192.168.1.23\r\nt=0 0\r\n"
                + "m=audio 9 RTP/AVP 0\r\n";
        assertTrue(filter.filterSdp(in).sdp().contains("\r\nc=IN IP4 0.0.0.0\r\nt=0 0\r\n"));
    }

    @Test
    void linesThatWouldRevealAClientAddressAreDropped() {
        String in = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=call from 192.168.1.23\r\nt=0 0\r\n"
                + "m=audio 9 RTP/AVP 0\r\nc=IN IP4 0.0.0.0\r\n"
                + "a=candidate:1 1 udp 2122260223 192.168.1.23 5000 typ host\r\n"
                + "a=x-debug:local=192.168.1.23:5000\r\n"
                + "a=remote-candidates:1 198.51.100.10 60000\r\n"
                + "a=x-keep:192.168.1.230\r\n"
                + "a=sendrecv\r\n";
        RelayOnlyResult result = filter.filterSdp(in);
        assertEquals("v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
                + "m=audio 9 RTP/AVP 0\r\nc=IN IP4 0.0.0.0\r\n"
                + "a=x-keep:192.168.1.230\r\n"
                + "a=sendrecv\r\n", result.sdp());
        assertEquals(2, result.linesRemoved());
        assertEquals(1, result.linesRewritten());
    }

    @Test
    void unparsableAndUnknownCandidatesAreStrippedAsOther() {
        String in = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 RTP/AVP 0\r\n"
                + "a=candidate:1 1 udp 1 192.168.1.23  5000 typ relay\r\n"
                + "a=candidate:1 1 udp 1 198.51.100.10 5000 typ future\r\n"
                + "a=candidate:garbage\r\n";
        RelayOnlyResult result = filter.filterSdp(in);
        assertEquals(new StrippedCandidates(0, 0, 0, 0, 3), result.stripped());
        assertFalse(result.sdp().contains("candidate"));
        assertFalse(result.sdp().contains("192.168.1.23"));
    }

    @Test
    void lfLineEndingsArePreserved() {
        String in = SdpFixtures.text(SdpFixtures.FIREFOX).replace("\r\n", "\n");
        String out = filter.filterSdp(in).sdp();
        assertFalse(out.contains("\r"));
        assertEquals(filter.filterSdp(SdpFixtures.text(SdpFixtures.FIREFOX)).sdp().replace("\r\n", "\n"), out);
        assertUntouchedLinesKept(in, out);
    }

    // --- trickled candidates ---

    @Test
    void trickledRelayIsKeptWithRelatedAddressScrubbed() {
        assertKept("candidate:3382936432 1 udp 41885439 198.51.100.10 61234 typ relay raddr 0.0.0.0 rport 0"
                        + " generation 0 ufrag Xa3f network-id 1 network-cost 10",
                "candidate:3382936432 1 udp 41885439 198.51.100.10 61234 typ relay raddr 203.0.113.45 rport 54321"
                        + " generation 0 ufrag Xa3f network-id 1 network-cost 10");
        assertKept("a=candidate:2 1 UDP 92217343 198.51.100.10 63310 typ relay raddr 0.0.0.0 rport 0",
                "a=candidate:2 1 UDP 92217343 198.51.100.10 63310 typ relay raddr 203.0.113.45 rport 51234");
        assertKept("candidate:4 1 udp 41885439 2001:db8:7::10 61234 typ relay raddr :: rport 0 generation 0",
                "candidate:4 1 udp 41885439 2001:db8:7::10 61234 typ relay raddr 2001:db8:85a3::8a2e:370:7334"
                        + " rport 54321 generation 0");
        assertKept("candidate:5 1 tcp 25108223 198.51.100.10 443 typ relay raddr 0.0.0.0 rport 0 tcptype passive",
                "candidate:5 1 tcp 25108223 198.51.100.10 443 typ relay raddr 192.168.1.23 rport 50112"
                        + " tcptype passive x-secret 192.168.1.23");
    }

    @Test
    void alreadyScrubbedRelayIsTheSameString() {
        String clean = "candidate:6 1 udp 41885439 198.51.100.10 61234 typ relay raddr 0.0.0.0 rport 0 generation 0";
        assertSame(clean, ((TrickledCandidate.Kept) filter.filterCandidate(clean)).candidate());
        String bare = "candidate:6 1 udp 41885439 198.51.100.10 61234 typ relay";
        assertSame(bare, ((TrickledCandidate.Kept) filter.filterCandidate(bare)).candidate());
    }

    @Test
    void trickledNonRelayIsStrippedByKind() {
        assertStripped(CandidateKind.HOST,
                "candidate:2999745851 1 udp 2122260223 192.168.1.23 54321 typ host generation 0 network-id 1");
        assertStripped(CandidateKind.HOST,
                "candidate:1425617218 1 udp 2122197247 2001:db8:85a3::8a2e:370:7334 54322 typ host generation 0");
        assertStripped(CandidateKind.HOST,
                "candidate:4233069003 1 tcp 1518280447 192.168.1.23 9 typ host tcptype active generation 0");
        assertStripped(CandidateKind.HOST, "a=candidate:0 1 UDP 2122252543 192.168.1.23 51234 typ HOST");
        assertStripped(CandidateKind.SRFLX,
                "candidate:842163049 1 udp 1686052607 203.0.113.45 54321 typ srflx raddr 192.168.1.23 rport 54321");
        assertStripped(CandidateKind.PRFLX,
                "candidate:750991856 2 udp 25108222 203.0.113.46 51472 typ prflx raddr 192.168.1.23 rport 54763");
        assertStripped(CandidateKind.MDNS, "candidate:1560499547 1 udp 2113937151"
                + " 2cf0b2c0-0842-4fe3-aaa0-4556a2dfbadc.local 60784 typ host generation 0 network-cost 999");
        assertStripped(CandidateKind.MDNS, "candidate:9 1 udp 41885439 abc.LOCAL 60784 typ relay");
        assertStripped(CandidateKind.OTHER, "candidate:9 1 udp 41885439 198.51.100.10 60784 typ future");
        assertStripped(CandidateKind.OTHER, "candidate:not a candidate");
        assertStripped(CandidateKind.OTHER, "192.168.1.23");
    }

    @Test
    void endOfCandidatesPassesThrough() {
        assertKept("", "");
        assertKept("end-of-candidates", "end-of-candidates");
        assertKept("a=end-of-candidates", "a=end-of-candidates");
    }

    private void assertKept(String expected, String candidate) {
        TrickledCandidate result = filter.filterCandidate(candidate);
        assertEquals(new TrickledCandidate.Kept(expected), result, candidate);
    }

    private void assertStripped(CandidateKind kind, String candidate) {
        assertEquals(new TrickledCandidate.Stripped(kind), filter.filterCandidate(candidate), candidate);
    }

    /**
     * Drops the lines the filter may remove (non-relay candidates), then requires every remaining line to be
     * byte-identical, terminator included, unless it is one the filter is allowed to rewrite.
     */
    static void assertUntouchedLinesKept(String in, String out) {
        List<String> expected = SdpFixtures.linesWithEndings(in).stream()
                .filter(l -> !SdpFixtures.isCandidate(l) || SdpFixtures.isRelay(l)).toList();
        List<String> actual = SdpFixtures.linesWithEndings(out);
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            String e = expected.get(i);
            String a = actual.get(i);
            assertNotNull(a);
            if (e.startsWith("c=") || e.startsWith("m=") || e.startsWith("o=") || e.startsWith("a=rtcp:")
                    || SdpFixtures.isCandidate(e)) {
                assertEquals(e.substring(0, 2), a.substring(0, 2), "line " + i);
                assertEquals(e.endsWith("\r\n"), a.endsWith("\r\n"), "terminator of line " + i);
            } else {
                assertEquals(e, a, "line " + i);
            }
        }
    }
}
