package io.presence.signaling.live;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Generated hostile SDPs and candidates (fixed seed, bounded count): addresses in every form (IPv4, IPv6,
 * with ports, bracketed, IPv4-mapped in dotted and in hex form, zone ids raw and percent-encoded, upper case, host
 * names, URLs) hidden in every field of every line kind a client controls. Whatever the input, no address but the
 * relay's and the unspecified ones, and no input host name, comes out; what comes out is valid SDP and rebuilding it
 * again changes nothing; the relay candidates of this relay that were sent are all still there.
 *
 * <p>Generated addresses are drawn from fixed-width pools ({@code 10.2xx.1xx.1xx}, {@code 2001:db8:c1::axxx},
 * {@code hNNNNN.evil-example.test}) so that a plain case-insensitive {@code contains} is a sound leak check; on top
 * of it every dotted quad, every IPv6-shaped token and every dotted name in the output is checked against what may
 * appear (relay addresses, the unspecified addresses, the allow-listed extmap URIs).
 */
class RelayOnlyFilterPropertyTest {

    private static final int SDP_VARIANTS = 3000;
    private static final int CANDIDATE_VARIANTS = 5000;
    private static final Pattern DOTTED_QUAD = Pattern.compile("\\d{1,3}(?:\\.\\d{1,3}){3}");
    private static final Pattern DOTTED_NAME = Pattern.compile("[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)+");
    private static final Set<String> ALLOWED_V4 = Set.of(TestRelay.V4, "0.0.0.0");

    private final RelayOnlyFilter filter = new RelayOnlyFilter();
    private final SdpValidator validator = new SdpValidator();

    @Test
    void noAddressButTheRelaysComesOutOfAnyRebuiltSdp() {
        Random random = new Random(20261204L);
        int refused = 0;
        int kept = 0;
        for (int i = 0; i < SDP_VARIANTS; i++) {
            Generated g = new Generated(random);
            String sdp = g.sdp();
            String context = "variant " + i + ":\n" + sdp;
            RelayOnlyResult result;
            try {
                result = filter.filterSdp(sdp, TestRelay.ADMITS);
            } catch (RuntimeException e) {
                throw new AssertionError(context, e);
            }
            if (result.isRefused()) {
                refused++;
                assertTrue(g.mustHaveBroken, context + "\nrefused: " + result.refusal());
                continue;
            }
            assertFalse(g.mustHaveBroken, context);
            String out = result.sdp();
            assertNotNull(out);
            assertNoLeak(g.needles, out, context);
            assertInstanceOf(SdpValidation.Valid.class, validator.validate(out), context + "\nout:\n" + out);
            assertEquals(out, filter.filterSdp(out, TestRelay.ADMITS).sdp(), context);
            long candidates = SdpFixtures.linesWithEndings(out).stream().filter(SdpFixtures::isCandidate).count();
            assertEquals(g.admittedRelays, candidates, context + "\nout:\n" + out);
            kept += (int) candidates;
        }
        assertTrue(refused > SDP_VARIANTS / 50 && refused < SDP_VARIANTS / 2, "both outcomes exercised: " + refused);
        assertTrue(kept > SDP_VARIANTS, "relay candidates kept: " + kept);
    }

    @Test
    void noAddressButTheRelaysComesOutOfAnyRebuiltCandidate() {
        Random random = new Random(20261205L);
        int keptCount = 0;
        for (int i = 0; i < CANDIDATE_VARIANTS; i++) {
            Generated g = new Generated(random);
            boolean admitted = random.nextInt(3) == 0;
            String candidate = (random.nextBoolean() ? "a=" : "") + g.candidate(admitted, "relay");
            TrickledCandidate verdict = filter.filterCandidate(candidate, TestRelay.ADMITS);
            if (verdict instanceof TrickledCandidate.Kept kept) {
                assertTrue(admitted, candidate);
                assertNoLeak(g.needles, kept.candidate(), candidate);
                assertTrue(CandidateGrammar.matches(kept.candidate().replaceFirst("^a=", "")), kept.candidate());
                keptCount++;
            } else {
                assertFalse(admitted, "an admitted relay candidate was stripped: " + candidate);
            }
        }
        assertTrue(keptCount > CANDIDATE_VARIANTS / 5, "kept " + keptCount);
    }

    private static void assertNoLeak(Set<String> needles, String out, String context) {
        String lower = out.toLowerCase(Locale.ROOT);
        for (String needle : needles) {
            if (lower.contains(needle.toLowerCase(Locale.ROOT))) {
                fail(context + "\nleaked " + needle + " in\n" + out);
            }
        }
        for (String line : out.split("\r\n|\n")) {
            Matcher quad = DOTTED_QUAD.matcher(line);
            while (quad.find()) {
                assertTrue(ALLOWED_V4.contains(quad.group()), context + "\naddress " + quad.group() + " in " + line);
            }
            if (line.startsWith("a=fingerprint:")) {
                continue; // fixed form: hash name and colon-separated hex pairs
            }
            for (String token : line.split("[ /=]")) {
                if (token.chars().filter(c -> c == ':').count() >= 2 && token.matches("[0-9A-Fa-f:.]+")) {
                    byte[] bytes = IpLiterals.parse(token);
                    assertTrue(token.equals("::") || bytes != null
                                    && TestRelay.ADDRESSES.contains(TestRelay.address(token)),
                            context + "\nIPv6 " + token + " in " + line);
                }
            }
            if (!line.startsWith("a=extmap:")) {
                Matcher name = DOTTED_NAME.matcher(line);
                while (name.find()) {
                    assertTrue(DOTTED_QUAD.matcher(name.group()).matches(), context + "\nname " + name.group()
                            + " in " + line);
                }
            } else {
                assertTrue(SdpAttributes.EXTMAP_URIS.contains(line.substring(line.indexOf(' ') + 1)), line);
            }
        }
    }

    /** One hostile SDP, the needles hidden in it, and what the rebuilding must do with it. */
    private static final class Generated {
        final Random r;
        final Set<String> needles = new LinkedHashSet<>();
        final List<String> lines = new ArrayList<>();
        final List<String> mids = new ArrayList<>();
        int admittedRelays;
        boolean mustHaveBroken;

        Generated(Random r) {
            this.r = r;
        }

        String sdp() {
            String eol = r.nextInt(4) == 0 ? "\n" : "\r\n";
            int sections = 1 + r.nextInt(3);
            for (int s = 0; s < sections; s++) {
                mids.add(String.valueOf(s));
            }
            lines.add("v=0");
            lines.add("o=" + maybe("-") + " " + maybe("7142803561846391457") + "  " + r.nextInt(9) + " IN "
                    + pick("IP4 ", "IP6 ", "IP4  ") + address());
            lines.add("s=" + maybe("-"));
            optional("i=" + hidden());
            optional("u=http://" + hidden() + "/about");
            optional("e=eve@" + hidden());
            optional("p=+1 " + hidden());
            optional("c=IN " + pick("IP4 ", "IP6 ") + address());
            optional("c=IN IP4 " + address() + "/127");
            optional("b=AS:" + r.nextInt(5000));
            lines.add("t=0 0");
            optional("k=clear:" + hidden());
            lines.add("a=group:BUNDLE " + String.join(" ", mids) + (r.nextInt(5) == 0 ? " " + hidden() : ""));
            optional("a=msid-semantic: WMS " + maybe("stream-1"));
            optional("a=ice-options:trickle " + maybe("renomination"));
            optional("a=x-google-flag:" + hidden());
            optional("a=identity:" + hidden());
            optional("a=extmap-allow-mixed");
            for (int s = 0; s < sections; s++) {
                section(s);
            }
            return String.join(eol, lines) + eol;
        }

        private void section(int s) {
            boolean data = r.nextInt(4) == 0;
            String formats = data ? "webrtc-datachannel" : "111 96";
            if (r.nextInt(40) == 0) {
                formats += " " + hidden();
                mustHaveBroken = true;
            }
            lines.add("m=" + (data ? "application" : pick("audio", "video")) + " " + (1024 + r.nextInt(60000)) + " "
                    + (data ? "UDP/DTLS/SCTP " : "UDP/TLS/RTP/SAVPF  ") + formats);
            optional("i=" + hidden());
            lines.add("c=IN " + pick("IP4 ", "IP6 ", "IP4   ") + address());
            optional("c=IN IP6 " + address());
            optional("b=TIAS:" + hidden());
            optional("b=AS:" + maybe("300"));
            optional("a=rtcp:" + r.nextInt(65536) + " IN " + pick("IP4 ", "IP6 ") + address());
            int candidates = r.nextInt(8);
            for (int c = 0; c < candidates; c++) {
                boolean admitted = r.nextInt(3) == 0;
                String type = admitted ? "relay" : pick("host", "srflx", "prflx", "relay", "relay");
                lines.add("a=" + candidate(admitted, type));
                if (admitted) {
                    admittedRelays++;
                }
            }
            optional("a=remote-candidates:1 " + address() + " " + r.nextInt(65536));
            optional("a=end-of-candidates");
            lines.add("a=ice-ufrag:" + mustHave("Xa3f", 4));
            lines.add("a=ice-pwd:" + mustHave("q7B0kH2mR9sT4vW1xY6zA3cD", 22));
            lines.add("a=mid:" + mustHave(mids.get(s), 1));
            optional("a=fingerprint:sha-256 " + pick("3E:9A:0C:71:B4:5F:22:D8:E6:19:7B:A3:40:C5:8E:F1:6D:02:93:BB:4A:"
                    + "E7:58:1C:2F:D9:60:8B:35:A4:C7:1E", hidden()));
            optional("a=setup:" + pick("actpass", "active", hidden()));
            optional("a=msid:" + maybe("stream-1") + " " + maybe("{0c6e2f1a-7b39-4d85-a1c4-9e2f7b3d5a60}"));
            optional("a=ssrc:" + r.nextInt(Integer.MAX_VALUE) + " cname:" + maybe("K2s8xQp4Lm9Tz1Vb"));
            optional("a=ssrc:" + r.nextInt(Integer.MAX_VALUE) + " " + pick("label:", "mslabel:", "msid:") + hidden());
            optional("a=ssrc-group:FID " + r.nextInt(Integer.MAX_VALUE) + " " + maybe("1967372045"));
            optional("a=label:" + hidden());
            optional("a=extmap:" + (1 + r.nextInt(14)) + " " + pick("urn:ietf:params:rtp-hdrext:sdes:mid",
                    "http://" + hidden() + "/ext", "urn:ietf:params:rtp-hdrext:" + hidden(),
                    "urn:ietf:params:rtp-hdrext:ssrc-audio-level " + hidden()));
            optional("a=rtpmap:111 " + maybe("opus") + "/48000/2");
            optional("a=fmtp:111 minptime=10;" + maybe("useinbandfec=1"));
            optional("a=rtcp-fb:111 " + maybe("transport-cc"));
            optional("a=rtcp-mux");
            optional("a=sendrecv");
            optional("a=sctp-port:" + maybe("5000"));
            optional("a=rid:" + maybe("hi") + " send");
            optional("a=simulcast:send " + maybe("hi;lo"));
            optional("a=x-" + r.nextInt(100) + ":" + hidden());
        }

        /** A candidate of {@code type}; an admitted one is this relay's (fields around it may still hide things). */
        String candidate(boolean admitted, String type) {
            String transport = pick("udp", "UDP", "tcp");
            String address;
            if (admitted) {
                address = pick(TestRelay.V4, TestRelay.V6, "::ffff:" + TestRelay.V4, "2001:DB8:7::10");
            } else {
                address = address();
            }
            String ext = "";
            if (r.nextBoolean()) {
                ext += " raddr " + address() + " rport " + r.nextInt(65536);
            }
            if (r.nextBoolean()) {
                ext += " generation " + r.nextInt(3);
            }
            if (r.nextBoolean()) {
                ext += " network-id " + pick("1", hiddenToken());
            }
            if (r.nextBoolean()) {
                ext += " " + pick("x-addr ", "network-cost ", "ufrag ") + hiddenToken();
            }
            return "candidate:" + r.nextInt(Integer.MAX_VALUE) + " " + (1 + r.nextInt(2)) + " " + transport + " "
                    + (1 + r.nextInt(Integer.MAX_VALUE)) + " " + address + " " + (1024 + r.nextInt(60000)) + " typ "
                    + type + ext;
        }

        private String mustHave(String normal, int minLength) {
            if (r.nextInt(60) == 0) {
                mustHaveBroken = true;
                return hiddenToken();
            }
            return normal;
        }

        private void optional(String line) {
            if (r.nextInt(3) != 0) {
                lines.add(line);
            }
        }

        /** The normal value, or sometimes a hidden address in its place. */
        private String maybe(String normal) {
            return r.nextInt(4) == 0 ? hiddenToken() : normal;
        }

        private String hidden() {
            return r.nextBoolean() ? hiddenToken() : "see " + hiddenToken() + " now";
        }

        /** An address or host name in one of its forms, as one token (no spaces). */
        private String hiddenToken() {
            return switch (r.nextInt(14)) {
                case 0 -> v4();
                case 1 -> v4() + ":" + (1 + r.nextInt(65535));
                case 2 -> v6();
                case 3 -> "[" + v6() + "]:" + (1 + r.nextInt(65535));
                case 4 -> "::ffff:" + v4();
                case 5 -> mappedHex();
                case 6 -> "fe80::" + zoneSuffix();
                case 7 -> v6().toUpperCase(Locale.ROOT);
                case 8 -> name();
                case 9 -> name().toUpperCase(Locale.ROOT) + ".";
                case 10 -> "https://" + name() + "/x";
                case 11 -> "stun:" + v4() + ":3478";
                case 12 -> "user@" + name();
                default -> v6() + "%eth0";
            };
        }

        private String address() {
            return switch (r.nextInt(6)) {
                case 0 -> v4();
                case 1 -> v6();
                case 2 -> "::ffff:" + v4();
                case 3 -> name();
                case 4 -> "fe80::" + zoneSuffix();
                default -> mappedHex();
            };
        }

        private String v4() {
            String a = "10." + (200 + r.nextInt(56)) + "." + (100 + r.nextInt(100)) + "." + (100 + r.nextInt(100));
            needles.add(a);
            return a;
        }

        private String v6() {
            String a = "2001:db8:c1::" + Integer.toHexString(0xa000 + r.nextInt(0x1000));
            needles.add(a);
            return a;
        }

        private String mappedHex() {
            String a = "::ffff:0a" + Integer.toHexString(0xc8 + r.nextInt(0x30)) + ":" + Integer.toHexString(
                    0x6400 + r.nextInt(0x1000));
            needles.add(a);
            return a;
        }

        private String zoneSuffix() {
            String a = "a" + Integer.toHexString(0x100 + r.nextInt(0xe00));
            needles.add("fe80::" + a);
            return a + pick("%eth0", "%25eth0", "%2");
        }

        private String name() {
            String a = "h" + (10000 + r.nextInt(90000)) + ".evil-example.test";
            needles.add(a);
            return a;
        }

        @SafeVarargs
        private <T> T pick(T... options) {
            return options[r.nextInt(options.length)];
        }
    }
}
