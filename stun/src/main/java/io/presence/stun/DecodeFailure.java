package io.presence.stun;

import java.util.Locale;

/**
 * Why bytes from the network were not accepted as a STUN message or a stream frame. A bounded set: its
 * {@link #label()} is used as the {@code reason} label of the decode-failure metric.
 */
public enum DecodeFailure {
    /** Fewer bytes than a header, or than the header's length field announces. */
    TRUNCATED,
    /** The first two bits are neither 0b00 (STUN) nor 0b01 (ChannelData). */
    NOT_STUN,
    /** The magic cookie is not 0x2112A442 (RFC 3489 messages are not served). */
    BAD_MAGIC_COOKIE,
    /** The length field is not a multiple of 4, or the datagram is longer than it announces. */
    BAD_LENGTH,
    /** An attribute's length runs past the end of the message. */
    ATTRIBUTE_OVERRUN,
    /** A known attribute has a value of the wrong size or with impossible content. */
    BAD_ATTRIBUTE,
    /** More attributes than {@link StunMessage#MAX_ATTRIBUTES}. */
    TOO_MANY_ATTRIBUTES,
    /** Something follows FINGERPRINT, which must be last. */
    FINGERPRINT_NOT_LAST,
    /** The FINGERPRINT value does not match the message. */
    BAD_FINGERPRINT,
    /** A Send or Data indication lacks XOR-PEER-ADDRESS or DATA. */
    MISSING_ATTRIBUTE,
    /** A stream frame larger than the configured cap. */
    FRAME_TOO_LARGE;

    private final String label = name().toLowerCase(Locale.ROOT);

    /** Lower-case name, used as a metric label. */
    public String label() {
        return label;
    }
}
