package io.presence.stun.attr;

import io.presence.stun.AttributeType;
import io.presence.stun.StunAttribute;
import io.presence.stun.StunMessageWriter;

/** CHANNEL-NUMBER (RFC 8656 §18.1): 16-bit channel and two reserved bytes. Range checks are the caller's. */
public final class ChannelNumber {
    private ChannelNumber() {
    }

    public static int decode(StunAttribute attribute) {
        return attribute.u16(0);
    }

    public static void write(StunMessageWriter writer, int channel) {
        writer.u32(AttributeType.CHANNEL_NUMBER, (long) channel << 16);
    }
}
