package io.presence.stun.attr;

import io.presence.stun.AttributeType;
import io.presence.stun.StunAttribute;
import io.presence.stun.StunMessageWriter;

/**
 * REQUESTED-ADDRESS-FAMILY and ADDITIONAL-ADDRESS-FAMILY (RFC 8656 §18.8, §18.11): a family byte followed
 * by three reserved bytes, length 4. ice4j writes length 1, which RFC-conformant servers reject.
 */
public final class AddressFamily {
    public static final int IPV4 = 0x01;
    public static final int IPV6 = 0x02;

    private AddressFamily() {
    }

    public static int decode(StunAttribute attribute) {
        return attribute.u8(0);
    }

    public static void writeRequested(StunMessageWriter writer, int family) {
        writer.u32(AttributeType.REQUESTED_ADDRESS_FAMILY, (long) family << 24);
    }

    public static void writeAdditional(StunMessageWriter writer, int family) {
        writer.u32(AttributeType.ADDITIONAL_ADDRESS_FAMILY, (long) family << 24);
    }
}
