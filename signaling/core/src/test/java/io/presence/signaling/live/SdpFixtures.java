package io.presence.signaling.live;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Loads the browser offers under {@code src/test/resources/sdp} and takes SDP apart independently of main code. */
final class SdpFixtures {

    static final String CHROME = "chrome-offer.sdp";
    static final String CHROME_MDNS = "chrome-offer-mdns.sdp";
    static final String FIREFOX = "firefox-offer.sdp";
    static final String FIREFOX_TRICKLE = "firefox-offer-trickle.sdp";
    static final String CHROME_ANSWER = "chrome-answer.sdp";
    static final List<String> ALL = List.of(CHROME, CHROME_MDNS, FIREFOX, FIREFOX_TRICKLE, CHROME_ANSWER);

    private static final Pattern CANDIDATE = Pattern.compile(
            "^a=candidate:\\S+ \\d+ \\S+ \\d+ (\\S+) \\d+ typ (\\S+)(?: raddr (\\S+) rport \\d+)?.*$");

    private SdpFixtures() {
    }

    static byte[] bytes(String name) {
        try (InputStream in = SdpFixtures.class.getResourceAsStream("/sdp/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing fixture " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String text(String name) {
        return new String(bytes(name), StandardCharsets.UTF_8);
    }

    /** Lines with their terminators, so that concatenating them gives the input back. */
    static List<String> linesWithEndings(String sdp) {
        List<String> out = new ArrayList<>();
        int start = 0;
        while (start < sdp.length()) {
            int lf = sdp.indexOf('\n', start);
            int end = lf < 0 ? sdp.length() : lf + 1;
            out.add(sdp.substring(start, end));
            start = end;
        }
        return out;
    }

    static String strip(String lineWithEnding) {
        return lineWithEnding.replaceAll("\r?\n$", "");
    }

    static boolean isCandidate(String line) {
        return strip(line).startsWith("a=candidate:");
    }

    /** The {@code typ} of a candidate line, lower case, or null when the line does not match the simple grammar. */
    static String typeOf(String line) {
        Matcher m = CANDIDATE.matcher(strip(line));
        return m.matches() ? m.group(2).toLowerCase() : null;
    }

    static boolean isRelay(String line) {
        Matcher m = CANDIDATE.matcher(strip(line));
        return m.matches() && m.group(2).equalsIgnoreCase("relay") && !m.group(1).toLowerCase().endsWith(".local");
    }

    /**
     * Every address a peer must not learn: addresses of host, srflx and prflx candidates and every raddr, minus
     * the unspecified ones (they identify nobody) and mDNS names.
     */
    static Set<String> clientAddresses(String sdp) {
        Set<String> out = new LinkedHashSet<>();
        for (String line : linesWithEndings(sdp)) {
            Matcher m = CANDIDATE.matcher(strip(line));
            if (!m.matches()) {
                continue;
            }
            if (!m.group(2).equalsIgnoreCase("relay")) {
                out.add(m.group(1));
            }
            if (m.group(3) != null) {
                out.add(m.group(3));
            }
        }
        out.removeIf(a -> a.equals("0.0.0.0") || a.equals("::") || a.toLowerCase().endsWith(".local"));
        return out;
    }
}
