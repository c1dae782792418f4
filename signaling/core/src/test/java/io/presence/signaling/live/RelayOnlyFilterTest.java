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
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RelayOnlyFilterTest {

    private final RelayOnlyFilter filter = new RelayOnlyFilter();

    private RelayOnlyResult rebuild(String sdp) {
        return filter.filterSdp(sdp, TestRelay.ADMITS);
    }

    static List<String> gathered() {
        return List.of(SdpFixtures.CHROME, SdpFixtures.CHROME_MDNS, SdpFixtures.FIREFOX, SdpFixtures.CHROME_ANSWER);
    }

    static List<String> all() {
        return SdpFixtures.ALL;
    }

    @ParameterizedTest
    @MethodSource("gathered")
    void onlyRelayCandidatesOfThisRelayRemain(String fixture) {
        String out = rebuild(SdpFixtures.text(fixture)).sdp();
        for (String line : SdpFixtures.linesWithEndings(out)) {
            if (SdpFixtures.isCandidate(line)) {
                assertTrue(SdpFixtures.isRelay(line), line);
                assertTrue(line.contains(" " + TestRelay.V4 + " "), line);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("gathered")
    void noClientAddressRemainsAnywhere(String fixture) {
        String in = SdpFixtures.text(fixture);
        Set<String> client = SdpFixtures.clientAddresses(in);
        assertFalse(client.isEmpty());
        String out = rebuild(in).sdp();
        for (String address : client) {
            assertFalse(out.contains(address), () -> fixture + " still contains " + address);
        }
        assertFalse(out.toLowerCase().contains(".local"));
    }

    /**
     * A browser's offer keeps everything its media needs: every section with its transport and formats, and every
     * codec, feedback, header extension, identifier and DTLS/ICE line, byte for byte (the fixtures are in the
     * canonical form the rebuilding writes). What goes: candidates that are not this relay's, the candidate
     * extensions network-id and network-cost, and the client-chosen cname (replaced).
     */
    @ParameterizedTest
    @MethodSource("all")
    void browserOffersKeepTheirMediaIntact(String fixture) {
        String in = SdpFixtures.text(fixture);
        RelayOnlyResult result = rebuild(in);
        List<String> out = lines(result.sdp());
        List<String> expected = new ArrayList<>();
        for (String line : lines(in)) {
            if (line.startsWith("m=")) {
                expected.add(line.replaceFirst("^(m=\\S+) [1-9]\\d*", "$1 9"));
            } else if (line.startsWith("a=") && !line.startsWith("a=candidate:") && !line.startsWith("a=ssrc:")
                    && !line.startsWith("a=msid-semantic")) {
                expected.add(line);
            } else if (line.startsWith("a=ssrc:") && line.contains(" msid:")) {
                expected.add(line);
            }
        }
        List<String> kept = out.stream().filter(l -> l.startsWith("m=") || l.startsWith("a=")
                && !l.startsWith("a=candidate:") && !l.startsWith("a=msid-semantic")
                && !(l.startsWith("a=ssrc:") && l.contains(" cname:"))).toList();
        assertEquals(expected, kept, fixture);
        assertEquals(List.of(), result.removedAttributes().stream()
                .filter(n -> !n.equals("candidate network-id") && !n.equals("candidate network-cost")).toList());
        for (String line : out) {
            if (line.contains(" cname:")) {
                assertTrue(line.matches("a=ssrc:\\d+ cname:presence0"), line);
            }
        }
        assertInstanceOf(SdpValidation.Valid.class, new SdpValidator().validate(result.sdp()));
    }

    @ParameterizedTest
    @MethodSource("all")
    void rebuildingIsIdempotent(String fixture) {
        String once = rebuild(SdpFixtures.text(fixture)).sdp();
        RelayOnlyResult twice = rebuild(once);
        assertEquals(once, twice.sdp());
        assertFalse(twice.removedAnything(), twice.toString());
    }

    @Test
    void countsByKind() {
        assertEquals(new StrippedCandidates(10, 3, 0, 0, 0), rebuild(SdpFixtures.text(SdpFixtures.CHROME)).stripped());
        assertEquals(new StrippedCandidates(0, 2, 0, 3, 0),
                rebuild(SdpFixtures.text(SdpFixtures.CHROME_MDNS)).stripped());
        assertEquals(new StrippedCandidates(7, 3, 0, 0, 0), rebuild(SdpFixtures.text(SdpFixtures.FIREFOX)).stripped());
        assertEquals(new StrippedCandidates(3, 1, 0, 0, 0),
                rebuild(SdpFixtures.text(SdpFixtures.CHROME_ANSWER)).stripped());
    }

    @Test
    void chromeOfferIsRebuiltWithFixedOriginConnectionAndDefaults() {
        String out = rebuild(SdpFixtures.text(SdpFixtures.CHROME)).sdp();
        assertTrue(out.startsWith("v=0\r\no=- 7142803561846391457 2 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n"
                + "a=group:BUNDLE 0 1 2\r\na=extmap-allow-mixed\r\n"
                + "a=msid-semantic: WMS 5c1d2c4e-7a0b-4f7e-9d53-3b8e0f6a1c92\r\n"), out);
        assertTrue(out.contains("\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126\r\n"
                + "c=IN IP4 0.0.0.0\r\na=rtcp:9 IN IP4 0.0.0.0\r\n"
                + "a=candidate:3382936432 1 udp 41885439 198.51.100.10 61234 typ relay raddr 0.0.0.0 rport 0"
                + " generation 0\r\n"
                + "a=candidate:1920584823 1 udp 25108223 198.51.100.10 61240 typ relay raddr 0.0.0.0 rport 0"
                + " generation 0\r\na=ice-ufrag:Xa3f\r\n"), out);
        assertTrue(out.contains("\r\nm=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\nc=IN IP4 0.0.0.0\r\n"));
        assertFalse(out.contains("\n\n") || out.replace("\r\n", "").contains("\n"), "CRLF only");
    }

    @Test
    void firefoxOfferKeepsEndOfCandidatesAndGetsAFixedOrigin() {
        String out = rebuild(SdpFixtures.text(SdpFixtures.FIREFOX)).sdp();
        assertTrue(out.startsWith("v=0\r\no=- 5234198763201458772 0 IN IP4 0.0.0.0\r\n"), out);
        assertTrue(out.contains("\r\nm=audio 9 UDP/TLS/RTP/SAVPF 109 9 0 8 101\r\nc=IN IP4 0.0.0.0\r\n"
                + "a=candidate:2 1 udp 92217343 198.51.100.10 63310 typ relay raddr 0.0.0.0 rport 0\r\n"
                + "a=candidate:5 1 udp 8331263 198.51.100.10 63312 typ relay raddr 0.0.0.0 rport 0\r\n"
                + "a=sendrecv\r\na=end-of-candidates\r\n"), out);
        assertTrue(out.contains("a=ssrc:2718843962 cname:presence0\r\n"), out);
    }

    /** A candidate labelled relay is only a relay candidate when this relay says it is one (of this room). */
    @Test
    void relayCandidatesElsewhereAreStrippedAndNeverBecomeTheConnectionLine() {
        String in = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
                + "m=audio 50000 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 203.0.113.9\r\n"
                + "a=candidate:1 1 udp 41885439 203.0.113.9 50000 typ relay raddr 0.0.0.0 rport 0\r\n"
                + "a=candidate:2 1 udp 41885439 198.51.100.10 80 typ relay\r\n"
                + "a=candidate:3 1 udp 41885439 evil.example 50000 typ relay\r\n"
                + "a=candidate:4 1 udp 41885439 fe80::1%eth0 50000 typ relay\r\n"
                + "a=candidate:5 1 udp 41885439 ::ffff:198.51.100.10 50000 typ relay network-id 192.0.2.7\r\n"
                + "a=candidate:6 1 udp 41885439 198.51.100.10 50002 typ relay\r\n"
                + "a=mid:0\r\na=ice-ufrag:abcd\r\na=ice-pwd:abcdefghijklmnopqrstuv\r\n";
        RelayOnlyResult result = rebuild(in);
        assertEquals("v=0\r\no=- 1 2 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n"
                + "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\n"
                + "a=candidate:5 1 udp 41885439 198.51.100.10 50000 typ relay raddr 0.0.0.0 rport 0\r\n"
                + "a=candidate:6 1 udp 41885439 198.51.100.10 50002 typ relay raddr 0.0.0.0 rport 0\r\n"
                + "a=mid:0\r\na=ice-ufrag:abcd\r\na=ice-pwd:abcdefghijklmnopqrstuv\r\n", result.sdp());
        assertEquals(new StrippedCandidates(0, 0, 0, 0, 4), result.stripped());
        assertEquals(List.of("candidate network-id"), result.removedAttributes());
    }

    @Test
    void originAndConnectionVariantsAreAlwaysFixed() {
        String in = "v=0\r\no=alice.example 7142803561846391457 3  IN   IP6 2001:db8::7\r\ns=call\r\n"
                + "c=IN IP6 2001:db8::8\r\nc=IN IP4 192.0.2.1/127\r\nt=0 0\r\n"
                + "m=audio 50000  RTP/AVP   0\r\nc=IN IP4 192.0.2.2\r\nc=IN IP6 ::ffff:192.0.2.3\r\n"
                + "b=AS:300\r\nb=X-IP:192.0.2.4\r\na=rtcp:50001 IN IP6 2001:db8::9\r\n";
        String out = rebuild(in).sdp();
        assertEquals("v=0\r\no=- 7142803561846391457 3 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n"
                + "m=audio 9 RTP/AVP 0\r\nc=IN IP4 0.0.0.0\r\nb=AS:300\r\na=rtcp:9 IN IP4 0.0.0.0\r\n", out);
        String odd = rebuild("v=0\r\no=- 1.2.3.4 x IN IP4 10.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 0 RTP/AVP 0\r\n").sdp();
        assertTrue(odd.startsWith("v=0\r\no=- 0 0 IN IP4 0.0.0.0\r\n"), odd);
        assertTrue(odd.contains("m=audio 0 RTP/AVP 0\r\n"), "a rejected section stays rejected");
    }

    @Test
    void freeFormFieldsAreDroppedOrReplacedAndReported() {
        String in = "v=0\r\no=- 1 2 IN IP4 0.0.0.0\r\ns=-\r\ni=192.0.2.1\r\nu=http://evil.example/\r\n"
                + "e=a@evil.example\r\np=+1 192 0 2 1\r\nb=AS:30\r\nt=0 0\r\nk=clear:192.0.2.1\r\n"
                + "a=x-leak:192.0.2.1\r\na=group:BUNDLE 0 192.0.2.1\r\na=ice-options:trickle 2001:db8::1\r\n"
                + "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\ni=media 192.0.2.1\r\n"
                + "a=mid:0\r\na=ice-ufrag:abcd\r\na=ice-pwd:abcdefghijklmnopqrstuv\r\n"
                + "a=label:192.0.2.1\r\na=msid:evil.example track\r\na=msid:- t-1\r\n"
                + "a=ssrc:1 cname:192.0.2.1\r\na=ssrc:1 mslabel:192.0.2.1\r\na=ssrc:2 cname:other\r\n"
                + "a=extmap:1 http://192.0.2.1/x\r\na=extmap:2 urn:ietf:params:rtp-hdrext:2001:db8:1:2:3:4:5:6\r\n"
                + "a=extmap:3 urn:ietf:params:rtp-hdrext:sdes:mid ext-attr 192.0.2.1\r\n"
                + "a=rtpmap:111 opus/48000/2\r\na=rtpmap:112 192.0.2.1/90000\r\n"
                + "a=fmtp:111 minptime=10;useinbandfec=1\r\na=fmtp:111 x=192.0.2.1\r\n"
                + "a=rtcp-fb:111 transport-cc\r\na=rtcp-fb:111 nack 2001:db8::1\r\n"
                + "a=fingerprint:sha-256 3E:9A\r\na=remote-candidates:1 192.0.2.1 5000\r\n"
                + "a=setup:actpass\r\na=setup:192.0.2.1\r\n";
        RelayOnlyResult result = rebuild(in);
        String out = result.sdp();
        assertFalse(out.contains("192.0.2") || out.contains("2001:db8") || out.contains("evil"), out);
        assertEquals("v=0\r\no=- 1 2 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\na=ice-options:trickle\r\n"
                + "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\n"
                + "a=mid:0\r\na=ice-ufrag:abcd\r\na=ice-pwd:abcdefghijklmnopqrstuv\r\na=msid:- t-1\r\n"
                + "a=ssrc:1 cname:presence0\r\na=ssrc:2 cname:presence1\r\n"
                + "a=extmap:3 urn:ietf:params:rtp-hdrext:sdes:mid\r\na=rtpmap:111 opus/48000/2\r\n"
                + "a=fmtp:111 minptime=10;useinbandfec=1\r\na=rtcp-fb:111 transport-cc\r\na=setup:actpass\r\n", out);
        assertEquals(List.of("b=", "e=", "extmap", "fingerprint", "fmtp", "group", "i=", "k=", "label", "msid",
                "p=", "remote-candidates", "rtcp-fb", "rtpmap", "setup", "ssrc", "u=", "x-leak"),
                result.removedAttributes());
    }

    @Test
    void fieldsACallCannotDoWithoutRefuseTheWholeSdpWhenTheyBreakTheirGrammar() {
        String base = "v=0\r\no=- 1 2 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n"
                + "a=mid:0\r\na=ice-ufrag:abcd\r\na=ice-pwd:abcdefghijklmnopqrstuv\r\n";
        assertFalse(rebuild(base).isRefused());
        for (String[] swap : new String[][] {
                {"a=mid:0", "a=mid:192.0.2.1"}, {"a=mid:0", "a=mid:" + "x".repeat(33)},
                {"a=mid:0", "a=mid:fe80::1"}, {"a=ice-ufrag:abcd", "a=ice-ufrag:10.0.0.1"},
                {"a=ice-ufrag:abcd", "a=ice-ufrag:abc"}, {"a=ice-pwd:abcdefghijklmnopqrstuv", "a=ice-pwd:short"},
                {"a=ice-pwd:abcdefghijklmnopqrstuv", "a=ice-pwd:abcdefghijklmnopqrstuv:1"},
                {"m=audio 9 UDP/TLS/RTP/SAVPF 111", "m=audio 9 UDP/TLS/RTP/SAVPF 192.0.2.1"},
                {"m=audio 9 UDP/TLS/RTP/SAVPF 111", "m=evil.example 9 UDP/TLS/RTP/SAVPF 111"},
                {"m=audio 9 UDP/TLS/RTP/SAVPF 111", "m=audio 9 IP4/192.0.2.1 111"}}) {
            RelayOnlyResult r = rebuild(base.replace(swap[0], swap[1]));
            assertTrue(r.isRefused(), swap[1]);
            assertNull(r.sdp());
        }
    }

    // --- trickled candidates ---

    @Test
    void trickledRelayOfThisRelayIsRebuilt() {
        assertKept("candidate:3382936432 1 udp 41885439 198.51.100.10 61234 typ relay raddr 0.0.0.0 rport 0"
                        + " generation 0 ufrag Xa3f", List.of("candidate network-cost", "candidate network-id"),
                "candidate:3382936432 1 udp 41885439 198.51.100.10 61234 typ relay raddr 203.0.113.45 rport 54321"
                        + " generation 0 ufrag Xa3f network-id 1 network-cost 10");
        assertKept("a=candidate:2 1 udp 92217343 198.51.100.10 63310 typ relay raddr 0.0.0.0 rport 0", List.of(),
                "a=candidate:2 1 UDP 92217343 198.51.100.10 63310 typ relay raddr 203.0.113.45 rport 51234");
        assertKept("candidate:4 1 udp 41885439 2001:db8:7::10 61234 typ relay raddr :: rport 0 generation 0",
                List.of(), "candidate:4 1 udp 41885439 2001:db8:7::10 61234 typ relay raddr "
                        + "2001:db8:85a3::8a2e:370:7334 rport 54321 generation 0");
        assertKept("candidate:5 1 tcp 25108223 198.51.100.10 1443 typ relay raddr 0.0.0.0 rport 0 tcptype passive",
                List.of("candidate x-secret"), "candidate:5 1 tcp 25108223 198.51.100.10 1443 typ relay raddr "
                        + "192.168.1.23 rport 50112 tcptype passive x-secret 192.168.1.23");
        assertKept("candidate:6 1 udp 1 198.51.100.10 61234 typ relay raddr 0.0.0.0 rport 0", List.of(),
                "candidate:6 1 udp 1 ::ffff:198.51.100.10 61234 typ relay");
    }

    @Test
    void trickledCandidatesThatAreNotThisRelaysAreStrippedByKind() {
        assertStripped(CandidateKind.HOST,
                "candidate:2999745851 1 udp 2122260223 192.168.1.23 54321 typ host generation 0 network-id 1");
        assertStripped(CandidateKind.HOST, "a=candidate:0 1 UDP 2122252543 192.168.1.23 51234 typ HOST");
        assertStripped(CandidateKind.SRFLX,
                "candidate:842163049 1 udp 1686052607 203.0.113.45 54321 typ srflx raddr 192.168.1.23 rport 54321");
        assertStripped(CandidateKind.PRFLX,
                "candidate:750991856 2 udp 25108222 203.0.113.46 51472 typ prflx raddr 192.168.1.23 rport 54763");
        assertStripped(CandidateKind.MDNS, "candidate:9 1 udp 41885439 abc.LOCAL 60784 typ relay");
        assertStripped(CandidateKind.OTHER, "candidate:9 1 udp 41885439 198.51.100.10 60784 typ future");
        assertStripped(CandidateKind.OTHER, "candidate:9 1 udp 41885439 203.0.113.9 60784 typ relay");
        assertStripped(CandidateKind.OTHER, "candidate:9 1 udp 41885439 198.51.100.10 80 typ relay");
        assertStripped(CandidateKind.OTHER, "candidate:9 1 udp 41885439 relay.evil.example 60784 typ relay");
        assertStripped(CandidateKind.OTHER, "candidate:9 1 udp 41885439 fe80::1%25eth0 60784 typ relay");
        assertStripped(CandidateKind.OTHER, "candidate:9 1 sctp 41885439 198.51.100.10 60784 typ relay");
        assertStripped(CandidateKind.OTHER, "candidate:not a candidate");
        assertStripped(CandidateKind.OTHER, "192.168.1.23");
        assertEquals(new TrickledCandidate.Stripped(CandidateKind.OTHER), filter.filterCandidate(
                "candidate:3 1 udp 41885439 198.51.100.10 61234 typ relay", TestRelay.NONE), "a relay nobody vouches for");
    }

    @Test
    void endOfCandidatesPassesThrough() {
        assertKept("", List.of(), "");
        assertKept("end-of-candidates", List.of(), "end-of-candidates");
        assertKept("a=end-of-candidates", List.of(), "a=end-of-candidates");
    }

    private void assertKept(String expected, List<String> removed, String candidate) {
        assertEquals(new TrickledCandidate.Kept(expected, removed), filter.filterCandidate(candidate, TestRelay.ADMITS),
                candidate);
    }

    private void assertStripped(CandidateKind kind, String candidate) {
        assertEquals(new TrickledCandidate.Stripped(kind), filter.filterCandidate(candidate, TestRelay.ADMITS),
                candidate);
    }

    private static List<String> lines(String sdp) {
        return SdpFixtures.linesWithEndings(sdp).stream().map(SdpFixtures::strip).toList();
    }
}
