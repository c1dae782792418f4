package io.presence.stun.attr;

import io.presence.stun.StunAttribute;

import java.nio.charset.StandardCharsets;

/**
 * ERROR-CODE (RFC 8489 §14.8). The server writes it without a reason phrase: phrases only make responses
 * bigger, and a bigger response is a better reflection amplifier.
 */
public record ErrorCode(int code, String reason) {
    public static final int TRY_ALTERNATE = 300;
    public static final int BAD_REQUEST = 400;
    public static final int UNAUTHENTICATED = 401;
    public static final int FORBIDDEN = 403;
    public static final int MOBILITY_FORBIDDEN = 405;
    public static final int UNKNOWN_ATTRIBUTE = 420;
    public static final int ALLOCATION_MISMATCH = 437;
    public static final int STALE_NONCE = 438;
    public static final int ADDRESS_FAMILY_NOT_SUPPORTED = 440;
    public static final int WRONG_CREDENTIALS = 441;
    public static final int UNSUPPORTED_TRANSPORT_PROTOCOL = 442;
    public static final int PEER_ADDRESS_FAMILY_MISMATCH = 443;
    public static final int ALLOCATION_QUOTA_REACHED = 486;
    public static final int ROLE_CONFLICT = 487;
    public static final int SERVER_ERROR = 500;
    public static final int INSUFFICIENT_CAPACITY = 508;

    public static ErrorCode decode(StunAttribute attribute) {
        int code = (attribute.u8(2) & 0x07) * 100 + attribute.u8(3);
        byte[] phrase = new byte[attribute.length() - 4];
        attribute.copyTo(4, phrase, 0, phrase.length);
        return new ErrorCode(code, new String(phrase, StandardCharsets.UTF_8));
    }
}
