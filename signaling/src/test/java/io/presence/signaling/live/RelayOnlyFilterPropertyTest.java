package io.presence.signaling.live;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Generated SDP variants (fixed seed, bounded count): random sections, candidate mixes, families, line endings,
 * default candidates and decoy attributes, checked against the filter's invariants. Addresses come from
 * fixed-width pools so that no address is a substring of another and a plain {@code contains} is a sound check.
 */
class RelayOnlyFilterPropertyTest {

    private static final int VARIANTS = 400;

    private final RelayOnlyFilter filter = new RelayOnlyFilter();
    private final SdpValidator validator = new SdpValidator();

    @Test
    void invariantsHoldForGeneratedOffers() {
        Random random = new Random(20261125L);
        for (int i = 0; i < VARIANTS; i++) {
            Generated g = generate(random);
            String context = "variant " + i + ":\n" + g.sdp;
            assertInstanceOf(SdpValidation.Valid.class, validator.validate(g.sdp), context);

            RelayOnlyResult result = filter.filterSdp(g.sdp);
            String out = result.sdp();

            // Valid SDP still, and the same line ending convention.
            assertInstanceOf(SdpValidation.Valid.class, validator.validate(out), context);
            assertEquals(g.sdp.contains("\r\n"), out.contains("\r\n"), context);
            // Nothing but relay candidates, none of them mDNS.
            for (String line : SdpFixtures.linesWithEndings(out)) {
                if (SdpFixtures.isCandidate(line)) {
                    assertTrue(SdpFixtures.isRelay(line), context + "\nkept: " + line);
                }
            }
            assertFalse(out.contains(".local"), context);
            // No client address anywhere.
            for (String address : g.clientAddresses) {
                assertFalse(out.contains(address), () -> context + "\nleaked " + address + " in\n" + out);
            }
            // Counts match what was generated.
            for (CandidateKind kind : CandidateKind.values()) {
                if (kind != CandidateKind.RELAY) {
                    assertEquals(g.expected.getOrDefault(kind, 0), result.stripped().count(kind), context + kind);
                }
            }
            // Relay candidates all kept, in order.
            long relayIn = SdpFixtures.linesWithEndings(g.sdp).stream().filter(SdpFixtures::isRelay).count();
            long relayOut = SdpFixtures.linesWithEndings(out).stream().filter(SdpFixtures::isCandidate).count();
            assertEquals(relayIn, relayOut, context);
            // Untouched lines byte for byte (decoys aside: the generator adds no leaking free text).
            RelayOnlyFilterTest.assertUntouchedLinesKept(g.sdp, out);
            // m= and c= name the first component-1 relay of their section, or 9 and 0.0.0.0 / ::.
            assertDefaults(g, out, context);
            // Idempotent.
            assertEquals(out, filter.filterSdp(out).sdp(), context);
        }
    }

    private static void assertDefaults(Generated g, String out, String context) {
        int section = -1;
        for (String line : SdpFixtures.linesWithEndings(out)) {
            String text = SdpFixtures.strip(line);
            if (text.startsWith("m=")) {
                section++;
                String port = text.split(" ")[1];
                Relay relay = g.defaults.get(section);
                String expected = g.disabled.get(section) ? "0" : relay == null ? "9" : String.valueOf(relay.port);
                assertEquals(expected, port, context + "\n" + text);
            } else if (text.startsWith("c=") && section >= 0) {
                Relay relay = g.defaults.get(section);
                if (relay != null) {
                    assertEquals("c=IN IP4 " + relay.address, text, context);
                } else {
                    assertTrue(text.equals("c=IN IP4 0.0.0.0") || text.equals("c=IN IP6 ::"), context + text);
                }
            }
        }
    }

    private record Relay(String address, int port) {
    }

    private static final class Generated {
        String sdp;
        final Set<String> clientAddresses = new LinkedHashSet<>();
        final Map<CandidateKind, Integer> expected = new EnumMap<>(CandidateKind.class);
        final List<Relay> defaults = new ArrayList<>();
        final List<Boolean> disabled = new ArrayList<>();

        void count(CandidateKind kind) {
            expected.merge(kind, 1, Integer::sum);
        }
    }

    private static Generated generate(Random r) {
        Generated g = new Generated();
        String eol = r.nextInt(4) == 0 ? "\n" : "\r\n";
        List<String> lines = new ArrayList<>();
        String originAddress = pick(r, "127.0.0.1", "0.0.0.0", clientV4(r, g));
        lines.add("v=0");
        lines.add("o=" + pick(r, "-", "mozilla...THIS_IS_SDPARTA-99.0") + " " + (1_000_000_000_000_000_000L
                + (r.nextLong() & Long.MAX_VALUE) % 8_000_000_000_000_000_000L) + " " + r.nextInt(5) + " IN IP4 "
                + originAddress);
        lines.add("s=-");
        lines.add("t=0 0");
        lines.add("a=group:BUNDLE 0 1 2 3");
        int sections = 1 + r.nextInt(4);
        for (int s = 0; s < sections; s++) {
            boolean disabled = r.nextInt(8) == 0;
            g.disabled.add(disabled);
            List<String> candidates = new ArrayList<>();
            Relay firstRelay = null;
            String defaultAddress = "0.0.0.0";
            int defaultPort = 9;
            int count = disabled ? 0 : r.nextInt(9);
            for (int c = 0; c < count; c++) {
                int component = r.nextInt(6) == 0 ? 2 : 1;
                String transport = pick(r, "udp", "UDP", "tcp");
                int port = 1024 + r.nextInt(60000);
                String ext = pick(r, "", " generation 0", " generation 0 ufrag Xa3f network-id 1 network-cost 10",
                        " tcptype active");
                String foundation = String.valueOf(r.nextInt(Integer.MAX_VALUE));
                String prefix = "a=candidate:" + foundation + " " + component + " " + transport + " "
                        + (1 + r.nextInt(Integer.MAX_VALUE)) + " ";
                switch (r.nextInt(6)) {
                    case 0 -> {
                        String a = r.nextBoolean() ? clientV4(r, g) : clientV6(r, g);
                        candidates.add(prefix + a + " " + port + " typ host" + ext);
                        g.count(CandidateKind.HOST);
                        defaultAddress = a;
                        defaultPort = port;
                    }
                    case 1 -> {
                        candidates.add(prefix + mdns(r) + " " + port + " typ host" + ext);
                        g.count(CandidateKind.MDNS);
                    }
                    case 2 -> {
                        String a = clientV4(r, g);
                        candidates.add(prefix + a + " " + port + " typ srflx raddr "
                                + pick(r, "0.0.0.0", clientV4(r, g), clientV6(r, g)) + " rport " + r.nextInt(65536)
                                + ext);
                        g.count(CandidateKind.SRFLX);
                        defaultAddress = a;
                        defaultPort = port;
                    }
                    case 3 -> {
                        candidates.add(prefix + clientV4(r, g) + " " + port + " typ prflx raddr " + clientV4(r, g)
                                + " rport " + r.nextInt(65536) + ext);
                        g.count(CandidateKind.PRFLX);
                    }
                    default -> {
                        String a = "198.51.100." + (100 + r.nextInt(100));
                        String related = r.nextInt(4) == 0 ? "" : " raddr "
                                + pick(r, clientV4(r, g), clientV6(r, g), "0.0.0.0") + " rport " + r.nextInt(65536);
                        candidates.add(prefix + a + " " + port + " typ relay" + related + ext);
                        if (component == 1 && firstRelay == null) {
                            firstRelay = new Relay(a, port);
                        }
                    }
                }
            }
            g.defaults.add(firstRelay);
            String kind = pick(r, "audio", "video", "application");
            String proto = kind.equals("application") ? "UDP/DTLS/SCTP webrtc-datachannel" : "UDP/TLS/RTP/SAVPF 111";
            lines.add("m=" + kind + " " + (disabled ? 0 : defaultPort) + " " + proto);
            boolean v6 = defaultAddress.contains(":");
            lines.add("c=IN " + (v6 ? "IP6 " : "IP4 ") + defaultAddress);
            if (r.nextBoolean()) {
                lines.add(pick(r, "a=rtcp:9 IN IP4 0.0.0.0", "a=rtcp:" + defaultPort + " IN IP4 " + clientV4(r, g)));
            }
            if (r.nextBoolean()) {
                // Firefox puts candidates after c=, Chrome after a=rtcp; both before or among other attributes.
                lines.add("a=sendrecv");
            }
            lines.addAll(candidates);
            if (r.nextBoolean()) {
                lines.add("a=end-of-candidates");
            }
            lines.add("a=ice-ufrag:Xa3f");
            lines.add("a=ice-pwd:q7B0kH2mR9sT4vW1xY6zA3cD");
            lines.add("a=mid:" + s);
            if (r.nextBoolean()) {
                lines.add("a=ssrc:" + (r.nextInt(Integer.MAX_VALUE)) + " cname:K2s8xQp4Lm9Tz1Vb");
            }
            if (r.nextInt(3) == 0) {
                lines.add("a=extmap:" + (1 + r.nextInt(14)) + " urn:ietf:params:rtp-hdrext:sdes:mid");
            }
        }
        g.sdp = String.join(eol, lines) + eol;
        return g;
    }

    private static String clientV4(Random r, Generated g) {
        String a = "10.20." + (100 + r.nextInt(100)) + "." + (100 + r.nextInt(100));
        g.clientAddresses.add(a);
        return a;
    }

    private static String clientV6(Random r, Generated g) {
        String a = "2001:db8:c1::" + Integer.toHexString(0xa000 + r.nextInt(0x1000));
        g.clientAddresses.add(a);
        return a;
    }

    private static String mdns(Random r) {
        return new java.util.UUID(r.nextLong(), r.nextLong()) + ".local";
    }

    @SafeVarargs
    private static <T> T pick(Random r, T... options) {
        return options[r.nextInt(options.length)];
    }
}
