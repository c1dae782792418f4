package io.presence.stun.attr;

import io.presence.stun.AttributeType;
import io.presence.stun.StunAttribute;
import io.presence.stun.StunMessageWriter;

/** REQUESTED-TRANSPORT (RFC 8656 §18.7): an IANA protocol number and three reserved bytes. */
public final class RequestedTransport {
    public static final int UDP = 17;
    public static final int TCP = 6;

    private RequestedTransport() {
    }

    public static int decode(StunAttribute attribute) {
        return attribute.u8(0);
    }

    public static void write(StunMessageWriter writer, int protocol) {
        writer.u32(AttributeType.REQUESTED_TRANSPORT, (long) protocol << 24);
    }
}
