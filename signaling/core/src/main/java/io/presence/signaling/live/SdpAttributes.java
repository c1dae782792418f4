package io.presence.signaling.live;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The allow-list of SDP attributes a relay-only room forwards, each re-serialised from its parsed fields. An
 * attribute that is not listed, or whose value does not follow its grammar, is dropped (the caller reports its
 * name to the sender). Candidates, {@code mid}, {@code ice-ufrag}, {@code ice-pwd} and {@code rtcp} are handled
 * by {@link RelayOnlyFilter} itself.
 *
 * <p>Every kept value is made of numbers, names from fixed sets, or identifiers of {@link SdpGrammar#safeToken}
 * and {@link SdpGrammar#word} characters (no {@code '.'}, {@code ':'} or {@code '%'}), with two exceptions whose
 * form is fixed: {@code fingerprint} (pairs of hex digits separated by colons, exactly as many as the hash has
 * bytes) and {@code extmap} (URIs from {@link #EXTMAP_URIS} only). SSRC {@code cname}s, which RFC 7022 lets
 * clients choose freely, are replaced by {@code presence<N>} (one per distinct input cname, so streams that were
 * synchronised stay so). One instance per SDP: it remembers the cnames it replaced.
 */
final class SdpAttributes {

    /** Attributes without a value that are kept as they are. */
    static final Set<String> FLAGS = Set.of("rtcp-mux", "rtcp-rsize", "sendrecv", "sendonly", "recvonly",
            "inactive", "end-of-candidates", "extmap-allow-mixed", "bundle-only");

    /** Session-level attributes that are kept (everything else there is dropped). */
    static final Set<String> SESSION_LEVEL = Set.of("group", "msid-semantic", "ice-options", "ice-ufrag", "ice-pwd",
            "fingerprint", "setup", "extmap", "extmap-allow-mixed", "sendrecv", "sendonly", "recvonly", "inactive");

    /** RTP header extensions browsers negotiate (RFC 8285 URIs); any other URI drops its extmap line. */
    static final Set<String> EXTMAP_URIS = Set.of(
            "urn:ietf:params:rtp-hdrext:ssrc-audio-level",
            "urn:ietf:params:rtp-hdrext:csrc-audio-level",
            "urn:ietf:params:rtp-hdrext:toffset",
            "urn:ietf:params:rtp-hdrext:sdes:mid",
            "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id",
            "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id",
            "urn:3gpp:video-orientation",
            "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time",
            "http://www.webrtc.org/experiments/rtp-hdrext/abs-capture-time",
            "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01",
            "http://www.webrtc.org/experiments/rtp-hdrext/transport-wide-cc-02",
            "http://www.webrtc.org/experiments/rtp-hdrext/playout-delay",
            "http://www.webrtc.org/experiments/rtp-hdrext/video-content-type",
            "http://www.webrtc.org/experiments/rtp-hdrext/video-timing",
            "http://www.webrtc.org/experiments/rtp-hdrext/color-space",
            "http://www.webrtc.org/experiments/rtp-hdrext/video-layers-allocation00",
            "https://aomediacodec.github.io/av1-rtp-spec/#dependency-descriptor-rtp-header-extension");

    private static final Map<String, Integer> HASH_BYTES = Map.of("sha-1", 20, "sha-224", 28, "sha-256", 32,
            "sha-384", 48, "sha-512", 64);
    private static final Set<String> DIRECTIONS = Set.of("sendrecv", "sendonly", "recvonly", "inactive");
    private static final Set<String> SETUP = Set.of("actpass", "active", "passive", "holdconn");
    private static final Set<String> ICE_OPTIONS = Set.of("trickle", "renomination", "ice2");
    private static final Set<String> SSRC_GROUPS = Set.of("FID", "SIM", "FEC", "FEC-FR");
    private static final long MAX_SSRC = 0xFFFF_FFFFL;

    private final Set<String> mids;
    private final Map<String, String> cnames = new LinkedHashMap<>();

    /** @param mids the validated mids of the SDP's sections, for {@code group:BUNDLE} */
    SdpAttributes(Set<String> mids) {
        this.mids = mids;
    }

    /**
     * The rebuilt value (the text after {@code a=}) of an attribute, or null to drop it.
     *
     * @param name  the attribute name (before the first {@code ':'})
     * @param value the value after the {@code ':'}, or null for a flag
     */
    String rebuild(String name, String value, boolean sessionLevel) {
        if (sessionLevel && !SESSION_LEVEL.contains(name)) {
            return null;
        }
        if (value == null) {
            return FLAGS.contains(name) ? name : null;
        }
        String rebuilt = switch (name) {
            case "group" -> group(value);
            case "msid-semantic" -> msidSemantic(value);
            case "msid" -> msid(value);
            case "ice-options" -> iceOptions(value);
            case "fingerprint" -> fingerprint(value);
            case "setup" -> SETUP.contains(value.strip()) ? value.strip() : null;
            case "extmap" -> extmap(value);
            case "rtpmap" -> rtpmap(value);
            case "fmtp" -> fmtp(value);
            case "rtcp-fb" -> rtcpFeedback(value);
            case "ssrc" -> ssrc(value);
            case "ssrc-group" -> ssrcGroup(value);
            case "sctp-port" -> number(value, 5, 65535);
            case "max-message-size" -> number(value, 12, 999_999_999_999L);
            case "ptime", "maxptime" -> number(value, 5, 99_999);
            case "sctpmap" -> sctpmap(value);
            case "rid" -> rid(value);
            case "simulcast" -> simulcast(value);
            default -> null;
        };
        return rebuilt == null ? null : name + ":" + rebuilt;
    }

    private static String number(String value, int digits, long max) {
        String v = value.strip();
        return SdpGrammar.number(v, digits, max) ? v : null;
    }

    private String group(String value) {
        String[] f = SdpGrammar.fields(value);
        if (f.length < 2 || !f[0].equals("BUNDLE")) {
            return null;
        }
        StringBuilder sb = new StringBuilder("BUNDLE");
        for (int i = 1; i < f.length; i++) {
            if (!mids.contains(f[i])) {
                return null;
            }
            sb.append(' ').append(f[i]);
        }
        return sb.toString();
    }

    /** Chrome writes {@code msid-semantic: WMS <id>...}, Firefox {@code msid-semantic:WMS *}. */
    private static String msidSemantic(String value) {
        String[] f = SdpGrammar.fields(value);
        if (f.length < 1 || !f[0].equals("WMS")) {
            return null;
        }
        StringBuilder sb = new StringBuilder(" WMS");
        for (int i = 1; i < f.length; i++) {
            if (!f[i].equals("*") && !SdpGrammar.safeToken(f[i], 1, 64)) {
                return null;
            }
            sb.append(' ').append(f[i]);
        }
        return sb.toString();
    }

    /** RFC 8830: {@code msid:<stream id> [<track id>]}, each 1..64 token chars ({@code -} for no stream). */
    private static String msid(String value) {
        String[] f = SdpGrammar.fields(value);
        if (f.length < 1 || f.length > 2) {
            return null;
        }
        for (String id : f) {
            if (!SdpGrammar.safeToken(id, 1, 64)) {
                return null;
            }
        }
        return String.join(" ", f);
    }

    private static String iceOptions(String value) {
        List<String> kept = new ArrayList<>();
        for (String option : SdpGrammar.fields(value)) {
            if (ICE_OPTIONS.contains(option) && !kept.contains(option)) {
                kept.add(option);
            }
        }
        return kept.isEmpty() ? null : String.join(" ", kept);
    }

    private static String fingerprint(String value) {
        String[] f = SdpGrammar.fields(value);
        if (f.length != 2) {
            return null;
        }
        String hash = f[0].toLowerCase(Locale.ROOT);
        Integer bytes = HASH_BYTES.get(hash);
        if (bytes == null || f[1].length() != bytes * 3 - 1) {
            return null;
        }
        String hex = f[1];
        for (int i = 0; i < hex.length(); i++) {
            char c = hex.charAt(i);
            boolean ok = i % 3 == 2 ? c == ':' : Character.digit(c, 16) >= 0;
            if (!ok) {
                return null;
            }
        }
        return hash + " " + hex.toUpperCase(Locale.ROOT);
    }

    /** RFC 8285: {@code extmap:<1..255>[/<direction>] <uri>}; extension attributes after the URI are dropped. */
    private static String extmap(String value) {
        String[] f = SdpGrammar.fields(value);
        if (f.length < 2) {
            return null;
        }
        String id = f[0];
        String direction = null;
        int slash = id.indexOf('/');
        if (slash >= 0) {
            direction = id.substring(slash + 1);
            id = id.substring(0, slash);
            if (!DIRECTIONS.contains(direction)) {
                return null;
            }
        }
        if (!SdpGrammar.number(id, 3, 255) || id.equals("0") || !EXTMAP_URIS.contains(f[1])) {
            return null;
        }
        return id + (direction == null ? "" : "/" + direction) + " " + f[1];
    }

    /** {@code rtpmap:<pt> <encoding>/<clock rate>[/<channels>]}. */
    private static String rtpmap(String value) {
        String[] f = SdpGrammar.fields(value);
        if (f.length != 2 || !SdpGrammar.number(f[0], 3, 127)) {
            return null;
        }
        String[] e = f[1].split("/", -1);
        if (e.length < 2 || e.length > 3 || !SdpGrammar.word(e[0], 1, 32) || !SdpGrammar.number(e[1], 7, 9_999_999)
                || (e.length == 3 && !SdpGrammar.number(e[2], 2, 99))) {
            return null;
        }
        return f[0] + " " + f[1];
    }

    /**
     * {@code fmtp:<pt> <parameters>}: parameters of letters, digits and {@code - _ + / , ; =} (codec parameters,
     * base64 parameter sets, {@code 111/111}, {@code 0-15}); spaces between parameters are removed.
     */
    private static String fmtp(String value) {
        String v = value.strip();
        int space = v.indexOf(' ');
        if (space < 0) {
            return null;
        }
        String pt = v.substring(0, space);
        String params = v.substring(space + 1).replace(" ", "");
        if (!SdpGrammar.number(pt, 3, 127) || !SdpGrammar.alnumOr(params, "-_+/,;=", 1, 1024)) {
            return null;
        }
        return pt + " " + params;
    }

    /** {@code rtcp-fb:<pt|*> <type> [<parameter>]} with names of letters, digits, {@code -} and {@code _}. */
    private static String rtcpFeedback(String value) {
        String[] f = SdpGrammar.fields(value);
        if (f.length < 2 || f.length > 3 || !(f[0].equals("*") || SdpGrammar.number(f[0], 3, 127))) {
            return null;
        }
        for (int i = 1; i < f.length; i++) {
            if (!SdpGrammar.word(f[i], 1, 32)) {
                return null;
            }
        }
        return String.join(" ", f);
    }

    /** {@code ssrc:<id> cname:<replaced>} or {@code ssrc:<id> msid:<ids>}; other SSRC attributes are dropped. */
    private String ssrc(String value) {
        String v = value.strip();
        int space = v.indexOf(' ');
        if (space < 0 || !SdpGrammar.number(v.substring(0, space), 10, MAX_SSRC)) {
            return null;
        }
        String id = v.substring(0, space);
        String attribute = v.substring(space + 1).strip();
        if (attribute.startsWith("cname:")) {
            String original = attribute.substring("cname:".length());
            if (original.isEmpty()) {
                return null;
            }
            String replaced = cnames.computeIfAbsent(original, k -> "presence" + cnames.size());
            return id + " cname:" + replaced;
        }
        if (attribute.startsWith("msid:")) {
            String ids = msid(attribute.substring("msid:".length()));
            return ids == null ? null : id + " msid:" + ids;
        }
        return null;
    }

    private static String ssrcGroup(String value) {
        String[] f = SdpGrammar.fields(value);
        if (f.length < 2 || f.length > 9 || !SSRC_GROUPS.contains(f[0])) {
            return null;
        }
        for (int i = 1; i < f.length; i++) {
            if (!SdpGrammar.number(f[i], 10, MAX_SSRC)) {
                return null;
            }
        }
        return String.join(" ", f);
    }

    /** The pre-RFC 8841 form some stacks still send: {@code sctpmap:<port> webrtc-datachannel [<streams>]}. */
    private static String sctpmap(String value) {
        String[] f = SdpGrammar.fields(value);
        if (f.length < 2 || f.length > 3 || !SdpGrammar.number(f[0], 5, 65535) || !f[1].equals("webrtc-datachannel")
                || (f.length == 3 && !SdpGrammar.number(f[2], 5, 65535))) {
            return null;
        }
        return String.join(" ", f);
    }

    /** RFC 8851 {@code rid:<id> send|recv}; restrictions after the direction are dropped. */
    private static String rid(String value) {
        String[] f = SdpGrammar.fields(value);
        if (f.length < 2 || !SdpGrammar.word(f[0], 1, 16) || !(f[1].equals("send") || f[1].equals("recv"))) {
            return null;
        }
        return f[0] + " " + f[1];
    }

    /** RFC 8853 {@code simulcast:send <rids> [recv <rids>]}, rid lists of rid ids, {@code ;}, {@code ,}, {@code ~}. */
    private static String simulcast(String value) {
        String[] f = SdpGrammar.fields(value);
        if (f.length != 2 && f.length != 4) {
            return null;
        }
        for (int i = 0; i < f.length; i += 2) {
            if (!(f[i].equals("send") || f[i].equals("recv")) || !SdpGrammar.alnumOr(f[i + 1], "-_;,~", 1, 256)) {
                return null;
            }
        }
        return String.join(" ", f);
    }
}
