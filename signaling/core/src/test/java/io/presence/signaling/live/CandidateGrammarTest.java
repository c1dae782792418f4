package io.presence.signaling.live;

import gov.nist.javax.sdp.parser.AttributeFieldParser;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The one-pass candidate check must agree with an independent statement of the same rules (regular expressions
 * over the candidate's tokens, below) on every input, and everything it accepts must also pass the JAIN attribute
 * parser, which {@link SdpValidator#validateCandidate} does not call.
 * Inputs: browser candidates and random mutations of them (fixed seed, bounded count) — characters replaced,
 * inserted or deleted from a pool rich in separators, digits and address characters, tokens swapped.
 */
class CandidateGrammarTest {

    private static final int VARIANTS = 60_000;

    private static final List<String> SEEDS = List.of(
            "candidate:2999745851 1 udp 2122260223 192.168.1.23 54321 typ host generation 0 network-id 1",
            "candidate:1 1 UDP 1686052863 203.0.113.45 51234 typ srflx raddr 192.168.1.23 rport 51234",
            "candidate:2 1 UDP 92217343 198.51.100.10 63310 typ relay raddr 203.0.113.45 rport 51234",
            "candidate:1560499547 1 udp 2113937151 2cf0b2c0-0842-4fe3-aaa0.local 60784 typ host generation 0",
            "candidate:7 1 TCP 2105458943 2001:db8:85a3::8a2e:370:7334 9 typ host tcptype active",
            "candidate:842163049 1 udp 1677729535 198.51.100.7 50123 typ srflx raddr 10.0.0.7 rport 50123"
                    + " generation 0 ufrag EEtu network-id 1 network-cost 10",
            "candidate:a+/Z 256 tls 4294967295 fe80::1%eth0 65535 typ prflx raddr :: rport 0",
            "candidate:3 2 udp 1 host_name.example 1 typ relay x y");

    private static final String POOL = " 0123456789.:-_/+%abcdefxyzABC~!#$'*^`{|}\"\\\t\u00e9\u0000\u007f";

    @Test
    void agreesWithTheTokenisingParser() {
        Random random = new Random(20261125L);
        int accepted = 0;
        for (int i = 0; i < VARIANTS; i++) {
            String candidate = mutate(SEEDS.get(random.nextInt(SEEDS.size())), random);
            boolean expected = reference(candidate);
            assertEquals(expected, CandidateGrammar.matches(candidate), () -> "input: " + candidate);
            if (expected) {
                accepted++;
                assertDoesNotThrow(() -> new AttributeFieldParser("a=" + candidate + "\r\n").parse(),
                        () -> "JAIN refused what the grammar accepts: " + candidate);
            }
        }
        // Both outcomes must be well represented, or the mutations test nothing.
        assertTrue(accepted > VARIANTS / 10 && accepted < VARIANTS * 9 / 10, "accepted " + accepted);
    }

    @Test
    void seedsAreCandidatesAndEdgesAreNot() {
        for (String seed : SEEDS) {
            assertTrue(CandidateGrammar.matches(seed), seed);
        }
        for (String bad : List.of("", "candidate:", "candidate:1 1 udp 1 192.0.2.1 5000 typ host ",
                "candidate:1 1 udp 1 192.0.2.1 5000 typ  host", "candidate:1 1 udp 1 192.0.2.1 65536 typ host",
                "candidate:1 1 udp 1 192.0.2.1 5000 typ host raddr", "candidate:1 1 udp 1 -a 5000 typ host",
                "candidate:1 1 udp 1 192.0.2.1 5000 typ host rport 70000",
                "candidate:1 1 udp 1 192.0.2.1 5000 typ host raddr 1:2", "a=candidate:1 1 udp 1 192.0.2.1 5000 typ host",
                "candidate:" + "f".repeat(33) + " 1 udp 1 192.0.2.1 5000 typ host")) {
            assertFalse(CandidateGrammar.matches(bad), bad);
            assertFalse(reference(bad), bad);
        }
    }

    private static final String TOKEN = "[A-Za-z0-9\\-._~+!#$%&'*^`{|}]+";
    private static final Pattern FIXED = Pattern.compile("candidate:[A-Za-z0-9+/]{1,32} [0-9]{1,3} " + TOKEN
            + " [0-9]{1,10} ([\\x21-\\x7e]+) ([0-9]{1,5}) typ " + TOKEN + "((?: [\\x21-\\x7e]+ [\\x21-\\x7e]+)*)");
    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,252}");

    private static boolean reference(String candidate) {
        Matcher m = FIXED.matcher(candidate);
        if (candidate.length() > SdpValidator.MAX_CANDIDATE_BYTES || !m.matches() || !address(m.group(1))
                || !port(m.group(2))) {
            return false;
        }
        String[] ext = m.group(3).isEmpty() ? new String[0] : m.group(3).substring(1).split(" ");
        for (int i = 0; i < ext.length; i += 2) {
            boolean ok = ext[i].matches(TOKEN) && switch (ext[i]) {
                case "raddr" -> address(ext[i + 1]);
                case "rport" -> ext[i + 1].matches("[0-9]{1,5}") && port(ext[i + 1]);
                default -> true;
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static boolean address(String s) {
        return HOST_NAME.matcher(s).matches() || IpLiterals.isIp(s);
    }

    private static boolean port(String s) {
        return Integer.parseInt(s) <= 65535;
    }

    private static String mutate(String seed, Random random) {
        StringBuilder s = new StringBuilder(seed);
        int edits = random.nextInt(4);
        for (int e = 0; e < edits; e++) {
            int at = 10 + random.nextInt(s.length() - 9);
            char c = POOL.charAt(random.nextInt(POOL.length()));
            switch (random.nextInt(4)) {
                case 0 -> s.insert(at, c);
                case 1 -> {
                    if (at < s.length()) {
                        s.deleteCharAt(at);
                    }
                }
                case 2 -> {
                    if (at < s.length()) {
                        s.setCharAt(at, c);
                    }
                }
                default -> {
                    String[] t = s.toString().split(" ", -1);
                    int a = random.nextInt(t.length);
                    int b = random.nextInt(t.length);
                    String tmp = t[a];
                    t[a] = t[b];
                    t[b] = tmp;
                    s = new StringBuilder(String.join(" ", t));
                }
            }
        }
        if (random.nextInt(20) == 0) {
            s.setLength(random.nextInt(s.length() + 1));
        }
        return s.toString();
    }
}
