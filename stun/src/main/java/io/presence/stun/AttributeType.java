package io.presence.stun;

/**
 * STUN attribute types this module understands (RFC 8489 §18.3, RFC 8656 §18, RFC 5780 §7, RFC 8445 §16.1,
 * RFC 6062 §6.2), and which of them a decoder checks for size.
 *
 * <p>Types below 0x8000 are comprehension-required: a request carrying one that the receiver does not
 * understand is answered with 420 (RFC 8489 §6.3.1). ice4j silently accepts them; {@link StunMessage}
 * reports them through {@link StunMessage#unknownComprehensionRequired()}.
 */
public final class AttributeType {
    // Comprehension-required (0x0000–0x7FFF)
    public static final int MAPPED_ADDRESS = 0x0001;
    public static final int CHANGE_REQUEST = 0x0003;
    public static final int USERNAME = 0x0006;
    public static final int MESSAGE_INTEGRITY = 0x0008;
    public static final int ERROR_CODE = 0x0009;
    public static final int UNKNOWN_ATTRIBUTES = 0x000A;
    public static final int CHANNEL_NUMBER = 0x000C;
    public static final int LIFETIME = 0x000D;
    public static final int XOR_PEER_ADDRESS = 0x0012;
    public static final int DATA = 0x0013;
    public static final int REALM = 0x0014;
    public static final int NONCE = 0x0015;
    public static final int XOR_RELAYED_ADDRESS = 0x0016;
    public static final int REQUESTED_ADDRESS_FAMILY = 0x0017;
    public static final int EVEN_PORT = 0x0018;
    public static final int REQUESTED_TRANSPORT = 0x0019;
    public static final int DONT_FRAGMENT = 0x001A;
    public static final int MESSAGE_INTEGRITY_SHA256 = 0x001C;
    public static final int PASSWORD_ALGORITHM = 0x001D;
    public static final int USERHASH = 0x001E;
    public static final int XOR_MAPPED_ADDRESS = 0x0020;
    public static final int RESERVATION_TOKEN = 0x0022;
    public static final int PRIORITY = 0x0024;
    public static final int USE_CANDIDATE = 0x0025;
    public static final int PADDING = 0x0026;
    public static final int RESPONSE_PORT = 0x0027;
    public static final int CONNECTION_ID = 0x002A;
    // Comprehension-optional (0x8000–0xFFFF)
    public static final int ADDITIONAL_ADDRESS_FAMILY = 0x8000;
    public static final int ADDRESS_ERROR_CODE = 0x8001;
    public static final int PASSWORD_ALGORITHMS = 0x8002;
    public static final int ALTERNATE_DOMAIN = 0x8003;
    public static final int ICMP = 0x8004;
    public static final int SOFTWARE = 0x8022;
    public static final int ALTERNATE_SERVER = 0x8023;
    public static final int FINGERPRINT = 0x8028;
    public static final int ICE_CONTROLLED = 0x8029;
    public static final int ICE_CONTROLLING = 0x802A;
    public static final int RESPONSE_ORIGIN = 0x802B;
    public static final int OTHER_ADDRESS = 0x802C;

    /** Longest USERNAME value (RFC 8489 §14.3). */
    public static final int MAX_USERNAME_BYTES = 513;
    /** Longest REALM, NONCE, SOFTWARE value and ERROR-CODE reason (RFC 8489 §14). */
    public static final int MAX_TEXT_BYTES = 763;

    private static final boolean[] KNOWN_REQUIRED = new boolean[0x8000];

    static {
        for (int t : new int[] {MAPPED_ADDRESS, CHANGE_REQUEST, USERNAME, MESSAGE_INTEGRITY, ERROR_CODE,
                UNKNOWN_ATTRIBUTES, CHANNEL_NUMBER, LIFETIME, XOR_PEER_ADDRESS, DATA, REALM, NONCE,
                XOR_RELAYED_ADDRESS, REQUESTED_ADDRESS_FAMILY, EVEN_PORT, REQUESTED_TRANSPORT, DONT_FRAGMENT,
                MESSAGE_INTEGRITY_SHA256, PASSWORD_ALGORITHM, USERHASH, XOR_MAPPED_ADDRESS, RESERVATION_TOKEN,
                PRIORITY, USE_CANDIDATE, RESPONSE_PORT, CONNECTION_ID}) {
            // PADDING (RFC 5780) is left out on purpose: the server does not honour it, so a request
            // carrying it gets 420 rather than a response it does not expect.
            KNOWN_REQUIRED[t] = true;
        }
    }

    private AttributeType() {
    }

    public static boolean isComprehensionRequired(int type) {
        return type < 0x8000;
    }

    /** Whether a comprehension-required type is one the codec knows (optional types are always fine). */
    public static boolean isKnown(int type) {
        return type >= 0x8000 || KNOWN_REQUIRED[type];
    }

    /** Whether the type carries a transport address, plain or XOR-ed. */
    public static boolean isAddress(int type) {
        return switch (type) {
            case MAPPED_ADDRESS, XOR_PEER_ADDRESS, XOR_RELAYED_ADDRESS, XOR_MAPPED_ADDRESS, ALTERNATE_SERVER,
                    RESPONSE_ORIGIN, OTHER_ADDRESS -> true;
            default -> false;
        };
    }

    /**
     * Checks the size (and for a few, the content) of a known attribute's value. Returns a description of
     * the problem, or {@code null} when the value is acceptable or the type is not checked.
     */
    static String check(int type, byte[] raw, int valueIndex, int length) {
        if (isAddress(type)) {
            if (length < 4) {
                return "address attribute shorter than 4 bytes";
            }
            int family = raw[valueIndex + 1];
            if (family == 0x01 && length == 8 || family == 0x02 && length == 20) {
                return null;
            }
            return "address family " + family + " with length " + length;
        }
        return switch (type) {
            case MESSAGE_INTEGRITY -> length == 20 ? null : "MESSAGE-INTEGRITY length " + length;
            case MESSAGE_INTEGRITY_SHA256 -> length >= 16 && length <= 32 && length % 4 == 0
                    ? null : "MESSAGE-INTEGRITY-SHA256 length " + length;
            case FINGERPRINT -> length == 4 ? null : "FINGERPRINT length " + length;
            case CHANGE_REQUEST, CHANNEL_NUMBER, LIFETIME, REQUESTED_ADDRESS_FAMILY, REQUESTED_TRANSPORT,
                    PRIORITY, CONNECTION_ID, ADDITIONAL_ADDRESS_FAMILY, RESPONSE_PORT ->
                    length == 4 ? null : "fixed 4-byte attribute 0x" + Integer.toHexString(type) + " length " + length;
            case ICE_CONTROLLED, ICE_CONTROLLING, RESERVATION_TOKEN ->
                    length == 8 ? null : "8-byte attribute 0x" + Integer.toHexString(type) + " length " + length;
            case DONT_FRAGMENT, USE_CANDIDATE -> length == 0 ? null : "flag attribute with a value";
            // RFC 8656 §18.6 defines EVEN-PORT with one byte; ice4j writes four. Both are read.
            case EVEN_PORT -> length == 1 || length == 4 ? null : "EVEN-PORT length " + length;
            case USERHASH -> length == 32 ? null : "USERHASH length " + length;
            case UNKNOWN_ATTRIBUTES -> length % 2 == 0 ? null : "UNKNOWN-ATTRIBUTES odd length";
            case ERROR_CODE -> checkErrorCode(raw, valueIndex, length);
            case ADDRESS_ERROR_CODE -> length >= 4 ? null : "ADDRESS-ERROR-CODE length " + length;
            case USERNAME -> length <= MAX_USERNAME_BYTES ? null : "USERNAME longer than 513 bytes";
            case REALM, NONCE, SOFTWARE, ALTERNATE_DOMAIN ->
                    length <= MAX_TEXT_BYTES ? null : "text attribute longer than 763 bytes";
            case PASSWORD_ALGORITHM -> length >= 4 && 4 + (((raw[valueIndex + 2] & 0xFF) << 8)
                    | (raw[valueIndex + 3] & 0xFF)) <= length ? null : "PASSWORD-ALGORITHM malformed";
            default -> null;
        };
    }

    private static String checkErrorCode(byte[] raw, int valueIndex, int length) {
        if (length < 4) {
            return "ERROR-CODE length " + length;
        }
        if (length - 4 > MAX_TEXT_BYTES) {
            return "ERROR-CODE reason longer than 763 bytes";
        }
        int cls = raw[valueIndex + 2] & 0x07;
        int number = raw[valueIndex + 3] & 0xFF;
        if (cls < 3 || cls > 6 || number > 99) {
            return "ERROR-CODE " + cls + "/" + number;
        }
        return null;
    }
}
