package io.presence.signaling.live;

import io.presence.signaling.live.SdpLines.Line;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Privacy mode ("relay-only"): removes from SDP and from trickled candidates everything that would tell a peer
 * where a client is, so that the only address a peer learns is the relay's.
 *
 * <p>Rules, applied to the SDP text line by line (never through a parser's re-serialisation, so every line not
 * listed here is forwarded byte for byte, in order, with its own line ending):
 * <ul>
 *   <li>{@code a=candidate}: host, srflx, prflx, mDNS ({@code .local}) and unparsable or unknown-type candidates
 *       are removed and counted. Relay candidates stay; their {@code raddr}/{@code rport} (the client's
 *       reflexive or host address) become {@code 0.0.0.0 0} ({@code :: 0} for IPv6), as browsers write them in
 *       their own privacy modes, and unknown extensions are dropped. Keeping the fields rather than deleting them
 *       keeps the line valid for parsers that require them (RFC 8839 §5.1).</li>
 *   <li>media {@code c=} and {@code m=} carry the default candidate (RFC 8839 §4.2.1): they become the first
 *       remaining component-1 relay candidate of that section, or {@code IN IP4 0.0.0.0} (IP6 {@code ::}) and
 *       port 9 when there is none. Port 0 (a rejected or bundle-only section) is left alone.</li>
 *   <li>session {@code c=}: the unspecified address of its family, unless it already names a safe address.</li>
 *   <li>{@code a=rtcp}: the section's first component-2 relay candidate, else port 9 and the unspecified address
 *       (Chrome's own {@code a=rtcp:9 IN IP4 0.0.0.0} is therefore unchanged).</li>
 *   <li>{@code o=}: only the unicast-address field, when it is not already 0.0.0.0, ::, 127.0.0.1 or ::1, becomes
 *       the unspecified address; user name, the 19-digit session id and version are kept verbatim.</li>
 *   <li>{@code a=remote-candidates} (lists candidate addresses) is removed.</li>
 *   <li>Finally every other line is swept for the client addresses seen anywhere in the input (stripped
 *       candidates' addresses, every {@code raddr}, {@code c=}, {@code o=} and {@code a=rtcp} addresses, minus the
 *       relay's own addresses and the unspecified and loopback ones): a line containing one is dropped
 *       ({@code s=} becomes {@code s=-}, since it is mandatory).</li>
 * </ul>
 * Stateless and thread safe. Input is expected to have passed {@link SdpValidator}; anything else is still handled
 * without exceptions, erring on the side of removal.
 */
public final class RelayOnlyFilter {

    private static final Set<String> NON_IDENTIFYING = Set.of("0.0.0.0", "::", "127.0.0.1", "::1");
    private static final int DISCARD_PORT = 9;
    private static final String END_OF_CANDIDATES = "end-of-candidates";

    /** Filters a whole offer or answer. */
    public RelayOnlyResult filterSdp(String sdp) {
        List<Line> lines = SdpLines.split(sdp);
        Analysis analysis = analyse(lines);

        List<Line> out = new ArrayList<>(lines.size());
        StrippedCandidates stripped = StrippedCandidates.NONE;
        int rewritten = 0;
        int removed = 0;
        int section = -1;
        for (int index = 0; index < lines.size(); index++) {
            Line line = lines.get(index);
            char type = line.type();
            if (type == 'm') {
                section++;
            }
            Section s = section >= 0 ? analysis.sections.get(section) : null;
            String text = line.text();
            String replacement;
            if (type == 'a' && line.value().startsWith(IceCandidate.PREFIX)) {
                Optional<IceCandidate> candidate = analysis.candidates.get(index);
                CandidateKind kind = candidate.map(IceCandidate::kind).orElse(CandidateKind.OTHER);
                if (kind != CandidateKind.RELAY) {
                    stripped = stripped.plus(kind);
                    continue;
                }
                replacement = "a=" + candidate.get().scrubbed(line.value());
            } else if (type == 'a' && line.value().startsWith("remote-candidates")) {
                removed++;
                continue;
            } else if (type == 'o') {
                replacement = origin(text);
            } else if (type == 'c') {
                replacement = s == null ? sessionConnection(text, analysis) : s.connection(text);
            } else if (type == 'm') {
                replacement = s.media(text);
            } else if (type == 'a' && line.value().startsWith("rtcp:")) {
                replacement = s == null ? rtcp(text, null) : rtcp(text, s.rtcpRelay);
            } else if (analysis.leaks(text)) {
                if (type == 's') {
                    replacement = "s=-";
                } else {
                    removed++;
                    continue;
                }
            } else {
                replacement = text;
            }
            if (replacement.equals(text)) {
                out.add(line);
            } else {
                out.add(line.withText(replacement));
                rewritten++;
            }
        }
        return new RelayOnlyResult(SdpLines.join(out), stripped, rewritten, removed);
    }

    /**
     * Filters one trickled candidate, as in {@code RTCIceCandidate.candidate} ({@code candidate:...}; an
     * {@code a=} prefix is accepted and kept). A relay candidate is kept with its related address scrubbed; the
     * empty string and {@code end-of-candidates} (end-of-candidates markers) are kept as they are; anything else
     * is stripped with its kind for the counters.
     */
    public TrickledCandidate filterCandidate(String candidate) {
        boolean attribute = candidate.startsWith("a=");
        String value = attribute ? candidate.substring(2) : candidate;
        if (value.isEmpty() || value.equals(END_OF_CANDIDATES)) {
            return new TrickledCandidate.Kept(candidate);
        }
        Optional<IceCandidate> parsed = IceCandidate.parse(value);
        CandidateKind kind = parsed.map(IceCandidate::kind).orElse(CandidateKind.OTHER);
        if (kind != CandidateKind.RELAY) {
            return new TrickledCandidate.Stripped(kind);
        }
        String scrubbed = parsed.get().scrubbed(value);
        return new TrickledCandidate.Kept(scrubbed.equals(value) ? candidate : (attribute ? "a=" : "") + scrubbed);
    }

    // --- analysis: what each media section keeps, and which addresses belong to the client ---

    private static final class Section {
        IceCandidate rtpRelay;
        IceCandidate rtcpRelay;

        String media(String text) {
            int first = text.indexOf(' ');
            int second = first < 0 ? -1 : text.indexOf(' ', first + 1);
            if (second < 0) {
                return text;
            }
            String portField = text.substring(first + 1, second);
            int slash = portField.indexOf('/');
            String port = slash < 0 ? portField : portField.substring(0, slash);
            if (port.equals("0")) {
                return text;
            }
            String target = String.valueOf(rtpRelay != null ? rtpRelay.port() : DISCARD_PORT);
            return text.substring(0, first + 1) + target + (slash < 0 ? "" : portField.substring(slash))
                    + text.substring(second);
        }

        String connection(String text) {
            if (rtpRelay != null) {
                return connectionLine(rtpRelay.address());
            }
            return "c=IN " + (text.contains(" IP6 ") ? "IP6 ::" : "IP4 0.0.0.0");
        }
    }

    private static final class Analysis {
        final List<Section> sections = new ArrayList<>();
        final Set<String> relayAddresses = new HashSet<>();
        final Set<String> clientAddresses = new HashSet<>();
        /** Per line: the parsed candidate (empty if unparsable), or null when the line is not a candidate. */
        final List<Optional<IceCandidate>> candidates = new ArrayList<>();

        boolean leaks(String text) {
            for (String address : clientAddresses) {
                if (IpLiterals.containsAddressToken(text, address)) {
                    return true;
                }
            }
            return false;
        }

        boolean safe(String address) {
            return NON_IDENTIFYING.contains(address) || relayAddresses.contains(address);
        }
    }

    private static Analysis analyse(List<Line> lines) {
        Analysis a = new Analysis();
        Section current = null;
        for (Line line : lines) {
            char type = line.type();
            String value = type == '\0' ? "" : line.value();
            Optional<IceCandidate> parsed = null;
            if (type == 'm') {
                current = new Section();
                a.sections.add(current);
            } else if (type == 'a' && value.startsWith(IceCandidate.PREFIX)) {
                parsed = IceCandidate.parse(value);
                if (parsed.isPresent()) {
                    IceCandidate c = parsed.get();
                    c.relatedAddress().ifPresent(a.clientAddresses::add);
                    if (c.kind() == CandidateKind.RELAY) {
                        a.relayAddresses.add(c.address());
                        if (current != null && c.component() == 1 && current.rtpRelay == null) {
                            current.rtpRelay = c;
                        } else if (current != null && c.component() == 2 && current.rtcpRelay == null) {
                            current.rtcpRelay = c;
                        }
                    } else {
                        a.clientAddresses.add(c.address());
                    }
                } else {
                    addLiterals(value, a.clientAddresses);
                }
            } else if (type == 'c' || type == 'o' || (type == 'a' && value.startsWith("rtcp:"))) {
                addLiterals(value, a.clientAddresses);
            }
            a.candidates.add(parsed);
        }
        a.clientAddresses.removeIf(address -> !IpLiterals.isIp(address) || a.safe(address));
        return a;
    }

    /** Adds every space- or slash-separated token of {@code value} that is an IP literal. */
    private static void addLiterals(String value, Set<String> into) {
        for (String token : value.split("[ /]")) {
            if (IpLiterals.isIp(token)) {
                into.add(token);
            }
        }
    }

    // --- rewriting single lines ---

    private static String connectionLine(String address) {
        return "c=IN " + (IpLiterals.isIpv6(address) ? "IP6 " : "IP4 ") + address;
    }

    private static String sessionConnection(String text, Analysis analysis) {
        String[] f = text.substring(2).split(" ");
        if (f.length == 3 && analysis.safe(f[2])) {
            return text;
        }
        return "c=IN " + (text.contains(" IP6 ") ? "IP6 ::" : "IP4 0.0.0.0");
    }

    private static String origin(String text) {
        int last = text.lastIndexOf(' ');
        if (last < 0) {
            return text;
        }
        String address = text.substring(last + 1);
        if (NON_IDENTIFYING.contains(address)) {
            return text;
        }
        return text.substring(0, last + 1) + (text.contains(" IP6 ") ? "::" : "0.0.0.0");
    }

    /** {@code a=rtcp:<port> [IN <IP4|IP6> <address>]} pointed at {@code relay}, or at port 9 and nowhere. */
    private static String rtcp(String text, IceCandidate relay) {
        boolean withAddress = text.indexOf(' ') >= 0;
        String port = String.valueOf(relay != null ? relay.port() : DISCARD_PORT);
        if (!withAddress) {
            return "a=rtcp:" + port;
        }
        String address = relay != null ? relay.address() : (text.contains(" IP6 ") ? "::" : "0.0.0.0");
        return "a=rtcp:" + port + " IN " + (IpLiterals.isIpv6(address) ? "IP6 " : "IP4 ") + address;
    }
}
