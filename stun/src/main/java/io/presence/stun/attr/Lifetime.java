package io.presence.stun.attr;

import io.presence.stun.AttributeType;
import io.presence.stun.StunAttribute;
import io.presence.stun.StunMessageWriter;

/** LIFETIME (RFC 8656 §18.2): seconds, unsigned 32-bit. */
public final class Lifetime {
    private Lifetime() {
    }

    public static long decode(StunAttribute attribute) {
        return attribute.u32(0);
    }

    public static void write(StunMessageWriter writer, long seconds) {
        writer.u32(AttributeType.LIFETIME, seconds);
    }
}
