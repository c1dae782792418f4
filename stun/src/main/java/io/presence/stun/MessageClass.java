package io.presence.stun;

/** The two class bits of a STUN message type (RFC 8489 §5). */
public enum MessageClass {
    REQUEST(0b00),
    INDICATION(0b01),
    SUCCESS_RESPONSE(0b10),
    ERROR_RESPONSE(0b11);

    private static final MessageClass[] BY_BITS = {REQUEST, INDICATION, SUCCESS_RESPONSE, ERROR_RESPONSE};

    private final int bits;

    MessageClass(int bits) {
        this.bits = bits;
    }

    /** The class's two bits, C1 (high) and C0 (low). */
    public int bits() {
        return bits;
    }

    public boolean isResponse() {
        return this == SUCCESS_RESPONSE || this == ERROR_RESPONSE;
    }

    /** The class encoded in a 14-bit message type. */
    public static MessageClass ofType(int messageType) {
        return BY_BITS[((messageType >> 7) & 0b10) | ((messageType >> 4) & 0b01)];
    }
}
