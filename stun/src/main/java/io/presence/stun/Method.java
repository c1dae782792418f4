package io.presence.stun;

/**
 * STUN and TURN method numbers (RFC 8489 §18.2, RFC 8656 §17) and the arithmetic that interleaves a
 * 12-bit method with the two class bits into the 14-bit message type.
 */
public final class Method {
    public static final int BINDING = 0x001;
    public static final int ALLOCATE = 0x003;
    public static final int REFRESH = 0x004;
    public static final int SEND = 0x006;
    public static final int DATA = 0x007;
    public static final int CREATE_PERMISSION = 0x008;
    public static final int CHANNEL_BIND = 0x009;

    /** Largest value that fits the 12 method bits. */
    public static final int MAX = 0xFFF;

    /** Message type of a Send indication, checked on the hot path without decoding the message. */
    public static final int SEND_INDICATION_TYPE = messageType(SEND, MessageClass.INDICATION);
    /** Message type of a Data indication. */
    public static final int DATA_INDICATION_TYPE = messageType(DATA, MessageClass.INDICATION);

    private Method() {
    }

    /** The 14-bit message type: method bits M11..M0 with C1 inserted at bit 8 and C0 at bit 4. */
    public static int messageType(int method, MessageClass cls) {
        if (method < 0 || method > MAX) {
            throw new IllegalArgumentException("method out of range: " + method);
        }
        int c = cls.bits();
        return (method & 0x000F) | ((method & 0x0070) << 1) | ((method & 0x0F80) << 2)
                | ((c & 0b01) << 4) | ((c & 0b10) << 7);
    }

    /** The method of a 14-bit message type. */
    public static int ofType(int messageType) {
        return (messageType & 0x000F) | ((messageType & 0x00E0) >> 1) | ((messageType & 0x3E00) >> 2);
    }

    /** A readable name for logs; never used as a metric label (methods are unbounded on the wire). */
    public static String name(int method) {
        return switch (method) {
            case BINDING -> "Binding";
            case ALLOCATE -> "Allocate";
            case REFRESH -> "Refresh";
            case SEND -> "Send";
            case DATA -> "Data";
            case CREATE_PERMISSION -> "CreatePermission";
            case CHANNEL_BIND -> "ChannelBind";
            default -> String.format("0x%03x", method);
        };
    }
}
