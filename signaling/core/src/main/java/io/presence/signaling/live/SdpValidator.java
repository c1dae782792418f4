package io.presence.signaling.live;

import io.presence.signaling.live.SdpLines.Line;
import org.opentelecoms.javax.sdp.NistSdpFactory;

import javax.sdp.SdpFactory;
import javax.sdp.SessionDescription;
import java.util.List;
import java.util.Vector;

/**
 * Decides whether an SDP offer or answer, or a trickled candidate, may be relayed. Offer and answer are
 * validated alike; the caller knows which one it holds.
 *
 * <p>Checks, cheapest first, stopping at the first failure: at most {@code maxBytes} UTF-8 bytes
 * ({@link SdpRejection#TOO_LARGE}); not blank ({@link SdpRejection#EMPTY}); no control characters or lone
 * surrogates ({@link SdpRejection#ILLEGAL_CHARACTER}); SDP line structure ({@link SdpRejection#MALFORMED}, see
 * there) with at most {@value #MAX_MEDIA_SECTIONS} media sections ({@link SdpRejection#TOO_LARGE}); accepted by
 * the JAIN-SDP parser ice4j uses ({@link SdpRejection#UNPARSABLE}); at least one media section
 * ({@link SdpRejection#NO_MEDIA}).
 *
 * <p>The structural checks come first because the JAIN parser accepts {@code ""} and garbage as a description
 * without media, and prints a stack trace for each error (silenced here, see {@link QuietStderr}). The parser
 * only judges: it truncates 19-digit {@code o=} session ids and normalises whitespace, so its model is never
 * serialised; a valid SDP is forwarded as the very string received.
 *
 * <p>Immutable and thread safe.
 */
public final class SdpValidator {

    /** Default size limit: 64 KiB, ten times a large Chrome offer with many candidates. */
    public static final int DEFAULT_MAX_BYTES = 64 * 1024;

    /**
     * More media sections than this is refused as {@link SdpRejection#TOO_LARGE} before parsing: a mesh call
     * needs a handful per connection, and the JAIN parser spends milliseconds on thousands.
     */
    public static final int MAX_MEDIA_SECTIONS = 64;

    /** A trickled candidate longer than this is not one a browser wrote. */
    public static final int MAX_CANDIDATE_BYTES = 1024;

    /** The line types RFC 8866 §5 defines; the JAIN parser has no parser for any other letter. */
    private static final String KNOWN_TYPES = "vosiuepcbtrzkam";

    private final int maxBytes;
    private final SdpFactory factory = new NistSdpFactory();

    public SdpValidator() {
        this(DEFAULT_MAX_BYTES);
    }

    public SdpValidator(int maxBytes) {
        if (maxBytes < 64) {
            throw new IllegalArgumentException("maxBytes must be at least 64, was " + maxBytes);
        }
        this.maxBytes = maxBytes;
    }

    public int maxBytes() {
        return maxBytes;
    }

    /** Validates an offer or answer. Never throws for any input but {@code null}. */
    public SdpValidation validate(String sdp) {
        SdpValidation.Invalid early = checkText(sdp, maxBytes);
        if (early != null) {
            return early;
        }
        List<Line> lines = SdpLines.split(sdp);
        int media = 0;
        for (int i = 0; i < lines.size(); i++) {
            Line line = lines.get(i);
            String problem = structureProblem(line, i);
            if (problem != null) {
                return new SdpValidation.Invalid(SdpRejection.MALFORMED, "line " + (i + 1) + ": " + problem);
            }
            if (line.type() == 'm' && ++media > MAX_MEDIA_SECTIONS) {
                return new SdpValidation.Invalid(SdpRejection.TOO_LARGE,
                        "more than " + MAX_MEDIA_SECTIONS + " media sections");
            }
        }
        SessionDescription parsed;
        try {
            parsed = QuietStderr.call(() -> factory.createSessionDescription(sdp));
        } catch (Exception e) {
            return new SdpValidation.Invalid(SdpRejection.UNPARSABLE, describe(e));
        }
        int parsedMedia = mediaCount(parsed);
        if (parsedMedia == 0 || media == 0) {
            return new SdpValidation.Invalid(SdpRejection.NO_MEDIA, "no m= section");
        }
        return new SdpValidation.Valid(sdp, media);
    }

    /**
     * Validates one trickled candidate ({@code RTCIceCandidate.candidate}, {@code candidate:...}, optionally
     * with {@code a=}): size, characters, the RFC 8839 grammar. End-of-candidates is a separate signal, so the
     * empty string is {@link SdpRejection#EMPTY} here. A valid result carries the input unchanged and
     * {@code mediaSections} 0.
     *
     * <p>The JAIN attribute parser is not asked: it accepts every line the (stricter) grammar accepts
     * ({@code CandidateGrammarTest} checks that on fuzzed candidates), and it cost more than the rest of relaying a
     * candidate (a lexer, a stack trace silenced per refusal).
     */
    public SdpValidation validateCandidate(String candidate) {
        SdpValidation.Invalid early = checkText(candidate, MAX_CANDIDATE_BYTES);
        if (early != null) {
            return early;
        }
        String value = candidate.startsWith("a=") ? candidate.substring(2) : candidate;
        if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
            return new SdpValidation.Invalid(SdpRejection.MALFORMED, "line break in candidate");
        }
        if (!CandidateGrammar.matches(value)) {
            return new SdpValidation.Invalid(SdpRejection.UNPARSABLE, "not an RFC 8839 candidate");
        }
        return new SdpValidation.Valid(candidate, 0);
    }

    /** Size (cheap bound first), blankness, then one pass counting UTF-8 bytes and looking for illegal chars. */
    private static SdpValidation.Invalid checkText(String text, int limit) {
        if (text.length() > limit) {
            return new SdpValidation.Invalid(SdpRejection.TOO_LARGE, "more than " + limit + " bytes");
        }
        if (text.isBlank()) {
            return new SdpValidation.Invalid(SdpRejection.EMPTY, "blank");
        }
        int bytes = 0;
        String illegal = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
                bytes += 4;
                continue;
            }
            bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
            if (illegal == null
                    && (Character.isSurrogate(c) || (c < 0x20 && c != '\r' && c != '\n') || c == 0x7f)) {
                illegal = String.format("character U+%04X at offset %d", (int) c, i);
            }
        }
        if (bytes > limit) {
            return new SdpValidation.Invalid(SdpRejection.TOO_LARGE, "more than " + limit + " bytes");
        }
        if (illegal != null) {
            return new SdpValidation.Invalid(SdpRejection.ILLEGAL_CHARACTER, illegal);
        }
        return null;
    }

    private static String structureProblem(Line line, int index) {
        String text = line.text();
        if (text.indexOf('\r') >= 0) {
            return "CR not followed by LF";
        }
        if (text.isEmpty()) {
            return "blank line";
        }
        if (index == 0 && !text.equals("v=0")) {
            return "first line must be v=0";
        }
        if (line.type() == '\0' || KNOWN_TYPES.indexOf(line.type()) < 0) {
            return "not <type>=<value> with a known type letter";
        }
        if (text.length() == 2 || text.charAt(2) == ' ') {
            return "empty value or space after '='";
        }
        if (index > 0 && line.type() == 'v') {
            return "repeated v=";
        }
        return null;
    }

    private static int mediaCount(SessionDescription parsed) {
        try {
            Vector<?> media = parsed.getMediaDescriptions(false);
            return media == null ? 0 : media.size();
        } catch (Exception e) {
            return 0;
        }
    }

    private static String describe(Exception e) {
        String message = e.getMessage();
        if (message == null || message.startsWith("[C@")) {
            return e.getClass().getSimpleName();
        }
        return message.length() > 200 ? message.substring(0, 200) + "..." : message;
    }
}
