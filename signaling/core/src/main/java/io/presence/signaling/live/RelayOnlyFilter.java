package io.presence.signaling.live;

import io.presence.signaling.live.SdpLines.Line;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Privacy mode ("relay-only"): every SDP and trickled candidate a relay-only room forwards is re-created from an
 * allow-list of parsed fields, never passed on as text, so that the only address a peer can learn is one of this
 * appliance's relay allocations.
 *
 * <p>The rebuilt SDP, always with CRLF line endings:
 * <ul>
 *   <li>{@code v=0}, {@code o=- <sess-id> <sess-version> IN IP4 0.0.0.0} (the client's numbers when they are 1..20
 *       digits, else 0), {@code s=-}, {@code t=0 0}; every other session line ({@code i= u= e= p= c= b= z= k= r=})
 *       is dropped.</li>
 *   <li>Per media section: {@code m=<audio|video|application> <9, or 0 if it was 0> <transport> <formats>} with the
 *       transport from a fixed list and numeric (or {@code webrtc-datachannel}) formats; {@code c=IN IP4 0.0.0.0};
 *       numeric {@code b=} bitrate lines; {@code a=rtcp:9 IN IP4 0.0.0.0} when the section had an {@code a=rtcp}. Browsers connect through the
 *       candidates, not through these defaults (RFC 8839 §4.2.1 allows the placeholders).</li>
 *   <li>{@code a=candidate}: only relay candidates that {@link RelayCandidates} admits (this relay's address and
 *       port, of a live allocation of the room where the relay can tell), rebuilt by
 *       {@link IceCandidate#rebuiltRelay}. Others are counted by kind; a relay candidate that is not admitted
 *       counts as {@link CandidateKind#OTHER}.</li>
 *   <li>{@code a=mid} ({@link SdpIdentifiers#isMid}), {@code a=ice-ufrag} (4..256 ice-chars),
 *       {@code a=ice-pwd} (22..256 ice-chars): a call cannot work without them, so one that breaks its grammar
 *       refuses the whole SDP ({@link SdpRejection#NOT_REBUILDABLE}), as does an {@code m=} line that cannot be
 *       rebuilt.</li>
 *   <li>Every other attribute goes through {@link SdpAttributes}: kept re-serialised, or dropped.</li>
 * </ul>
 * What was dropped is reported: the candidates by kind, and the names of dropped attributes ({@code a=} lines) and
 * line types ({@code i=}...), for the sender's acknowledgement. Stateless and thread safe. Input is expected to
 * have passed {@link SdpValidator}; anything else is still handled without exceptions.
 */
public final class RelayOnlyFilter {

    private static final String CRLF = "\r\n";
    private static final String END_OF_CANDIDATES = "end-of-candidates";
    private static final int MAX_REPORTED = 32;
    private static final Set<String> MEDIA = Set.of("audio", "video", "application");
    private static final Set<String> RTP_TRANSPORTS = Set.of("UDP/TLS/RTP/SAVPF", "TCP/TLS/RTP/SAVPF", "RTP/SAVPF",
            "RTP/AVPF", "RTP/SAVP", "RTP/AVP");
    private static final Set<String> SCTP_TRANSPORTS = Set.of("UDP/DTLS/SCTP", "TCP/DTLS/SCTP", "DTLS/SCTP");
    private static final Set<String> BANDWIDTH_TYPES = Set.of("AS", "TIAS", "CT", "RR", "RS");

    /** Rebuilds a whole offer or answer; {@code relay} decides which relay candidates are the room's. */
    public RelayOnlyResult filterSdp(String sdp, RelayCandidates relay) {
        List<Line> lines = SdpLines.split(sdp);
        List<List<Line>> sections = new ArrayList<>();
        List<Line> session = new ArrayList<>();
        for (Line line : lines) {
            if (line.type() == 'm') {
                sections.add(new ArrayList<>());
            }
            (sections.isEmpty() ? session : sections.get(sections.size() - 1)).add(line);
        }

        // The mids first: group:BUNDLE may only name mids that are kept.
        Set<String> mids = new LinkedHashSet<>();
        for (List<Line> section : sections) {
            for (Line line : section) {
                if (line.type() == 'a' && line.value().startsWith("mid:")) {
                    String mid = line.value().substring(4);
                    if (!SdpIdentifiers.isMid(mid) || !mids.add(mid)) {
                        return RelayOnlyResult.refused("a=mid is not 1..32 token characters, or repeated");
                    }
                }
            }
        }

        Report report = new Report();
        SdpAttributes attributes = new SdpAttributes(mids);
        StringBuilder out = new StringBuilder(sdp.length());
        out.append("v=0").append(CRLF);
        out.append(origin(session)).append(CRLF);
        out.append("s=-").append(CRLF);
        out.append("t=0 0").append(CRLF);
        for (Line line : session) {
            char type = line.type();
            if (type == 'v' || type == 'o' || type == 's' || type == 't' || type == 'c') {
                continue;
            }
            if (type != 'a') {
                report.line(type);
                continue;
            }
            String refusal = attribute(line.value(), true, attributes, relay, out, report);
            if (refusal != null) {
                return RelayOnlyResult.refused(refusal);
            }
        }
        for (List<Line> section : sections) {
            String media = media(section.get(0).value());
            if (media == null) {
                return RelayOnlyResult.refused("m= line with an unknown media, transport or format");
            }
            out.append(media).append(CRLF);
            out.append("c=IN IP4 0.0.0.0").append(CRLF);
            for (int i = 1; i < section.size(); i++) {
                Line line = section.get(i);
                if (line.type() == 'b' && bandwidth(line.value()) != null) {
                    out.append("b=").append(bandwidth(line.value())).append(CRLF);
                }
            }
            for (int i = 1; i < section.size(); i++) {
                Line line = section.get(i);
                char type = line.type();
                if (type == 'c' || (type == 'b' && bandwidth(line.value()) != null)) {
                    continue;
                }
                if (type != 'a') {
                    report.line(type);
                    continue;
                }
                String refusal = attribute(line.value(), false, attributes, relay, out, report);
                if (refusal != null) {
                    return RelayOnlyResult.refused(refusal);
                }
            }
        }
        return new RelayOnlyResult(out.toString(), report.stripped, List.copyOf(report.names), null);
    }

    /**
     * Rebuilds one trickled candidate, as in {@code RTCIceCandidate.candidate} ({@code candidate:...}; an
     * {@code a=} prefix is accepted and kept). An admitted relay candidate is kept, rebuilt; the empty string and
     * {@code end-of-candidates} are kept as they are; anything else is stripped with its kind for the counters.
     */
    public TrickledCandidate filterCandidate(String candidate, RelayCandidates relay) {
        boolean attribute = candidate.startsWith("a=");
        String value = attribute ? candidate.substring(2) : candidate;
        if (value.isEmpty() || value.equals(END_OF_CANDIDATES)) {
            return new TrickledCandidate.Kept(candidate, List.of());
        }
        Optional<IceCandidate> parsed = IceCandidate.parse(value);
        CandidateKind kind = parsed.map(IceCandidate::kind).orElse(CandidateKind.OTHER);
        Set<String> removed = new TreeSet<>();
        String rebuilt = parsed.map(c -> c.rebuiltRelay(relay, removed)).orElse(null);
        if (rebuilt == null) {
            return new TrickledCandidate.Stripped(kind == CandidateKind.RELAY ? CandidateKind.OTHER : kind);
        }
        return new TrickledCandidate.Kept((attribute ? "a=" : "") + rebuilt, List.copyOf(removed));
    }

    /** Appends the rebuilt attribute (or reports it dropped); returns a refusal detail for a must-have field. */
    private static String attribute(String value, boolean sessionLevel, SdpAttributes attributes,
                                    RelayCandidates relay, StringBuilder out, Report report) {
        int colon = value.indexOf(':');
        String name = colon < 0 ? value : value.substring(0, colon);
        String rest = colon < 0 ? null : value.substring(colon + 1);
        switch (name) {
            case "candidate" -> {
                Optional<IceCandidate> parsed = sessionLevel ? Optional.empty() : IceCandidate.parse(value);
                CandidateKind kind = parsed.map(IceCandidate::kind).orElse(CandidateKind.OTHER);
                String rebuilt = parsed.map(c -> c.rebuiltRelay(relay, report.names)).orElse(null);
                if (rebuilt == null) {
                    report.stripped = report.stripped.plus(kind == CandidateKind.RELAY ? CandidateKind.OTHER : kind);
                } else {
                    out.append("a=").append(rebuilt).append(CRLF);
                }
                return null;
            }
            case "mid" -> {
                if (sessionLevel) {
                    report.attribute(name);
                } else {
                    out.append("a=mid:").append(rest).append(CRLF); // checked before rebuilding
                }
                return null;
            }
            case "ice-ufrag", "ice-pwd" -> {
                int min = name.equals("ice-ufrag") ? 4 : 22;
                if (rest == null || !SdpGrammar.iceChars(rest, min, 256)) {
                    return "a=" + name + " is not " + min + "..256 ice-chars";
                }
                out.append("a=").append(name).append(':').append(rest).append(CRLF);
                return null;
            }
            case "rtcp" -> {
                if (sessionLevel) {
                    report.attribute(name);
                } else {
                    out.append("a=rtcp:9 IN IP4 0.0.0.0").append(CRLF);
                }
                return null;
            }
            default -> {
                String rebuilt = attributes.rebuild(name, rest, sessionLevel);
                if (rebuilt == null) {
                    report.attribute(name);
                } else {
                    out.append("a=").append(rebuilt).append(CRLF);
                }
                return null;
            }
        }
    }

    /** A media section's {@code b=<AS|TIAS|CT|RR|RS>:<number>} (a sender's bitrate limit), or null. */
    private static String bandwidth(String value) {
        int colon = value.indexOf(':');
        if (colon < 0 || !BANDWIDTH_TYPES.contains(value.substring(0, colon))
                || !SdpGrammar.number(value.substring(colon + 1), 10, 9_999_999_999L)) {
            return null;
        }
        return value;
    }

    /** {@code o=- <sess-id> <sess-version> IN IP4 0.0.0.0}: only the client's numbers survive. */
    private static String origin(List<Line> session) {
        String id = "0";
        String version = "0";
        for (Line line : session) {
            if (line.type() == 'o') {
                String[] f = SdpGrammar.fields(line.value());
                if (f.length >= 3) {
                    id = digits(f[1], 20) ? f[1] : "0";
                    version = digits(f[2], 20) ? f[2] : "0";
                }
                break;
            }
        }
        return "o=- " + id + " " + version + " IN IP4 0.0.0.0";
    }

    private static boolean digits(String s, int max) {
        if (s.isEmpty() || s.length() > max) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** The rebuilt {@code m=} line, or null when it is not one this room relays. */
    private static String media(String value) {
        String[] f = SdpGrammar.fields(value);
        if (f.length < 4 || !MEDIA.contains(f[0])) {
            return null;
        }
        String portField = f[1];
        int slash = portField.indexOf('/');
        String port = slash < 0 ? portField : portField.substring(0, slash);
        if (!SdpGrammar.number(port, 5, 65535)) {
            return null;
        }
        boolean rtp = RTP_TRANSPORTS.contains(f[2]);
        if (!rtp && !SCTP_TRANSPORTS.contains(f[2])) {
            return null;
        }
        StringBuilder sb = new StringBuilder("m=").append(f[0]).append(' ')
                .append(Integer.parseInt(port) == 0 ? "0" : "9").append(' ').append(f[2]);
        for (int i = 3; i < f.length; i++) {
            boolean ok = rtp ? SdpGrammar.number(f[i], 3, 127)
                    : f[i].equals("webrtc-datachannel") || SdpGrammar.number(f[i], 5, 65535);
            if (!ok) {
                return null;
            }
            sb.append(' ').append(f[i]);
        }
        return sb.toString();
    }

    /** What the rebuilding left out, for the counters and the sender's acknowledgement. */
    private static final class Report {
        StrippedCandidates stripped = StrippedCandidates.NONE;
        final Set<String> names = new BoundedNames();

        void attribute(String name) {
            names.add(SdpGrammar.word(name, 1, 32) ? name : "invalid");
        }

        void line(char type) {
            names.add(type == '\0' ? "invalid" : type + "=");
        }
    }

    /** Sorted, at most {@value #MAX_REPORTED} names: the report is bounded whatever the input. */
    private static final class BoundedNames extends TreeSet<String> {
        @Override
        public boolean add(String name) {
            return (size() < MAX_REPORTED || contains(name)) && super.add(name);
        }
    }
}
