package io.presence.signaling.live;

/**
 * Why an SDP or a trickled candidate was not relayed. The room turns it into a typed error frame and counts it
 * ("SDP rejected by reason"); the enum name is the stable wire and metric value.
 */
public enum SdpRejection {
    /** Nothing but whitespace. */
    EMPTY,
    /** Longer than the configured limit (UTF-8 bytes), or more media sections than any call needs. */
    TOO_LARGE,
    /** NUL or another control character, or text that is not valid UTF-16 (a lone surrogate). */
    ILLEGAL_CHARACTER,
    /**
     * Not SDP line structure: {@code v=0} must come first, every line is {@code <letter>=<value>} with a known
     * letter and a non-empty value, lines end in CRLF or LF, no blank lines, no stray CR.
     */
    MALFORMED,
    /** Refused by the JAIN-SDP parser, or (for a candidate) not the RFC 8839 candidate grammar. */
    UNPARSABLE,
    /** Parses, but has no {@code m=} section. */
    NO_MEDIA,
    /**
     * Relay-only rooms: a field the call cannot do without ({@code m=} line, {@code a=mid}, {@code a=ice-ufrag},
     * {@code a=ice-pwd}) does not follow the grammar the server rebuilds it from, so nothing is forwarded.
     */
    NOT_REBUILDABLE
}
