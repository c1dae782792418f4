package io.presence.stun.attr;

import io.presence.stun.AttributeType;
import io.presence.stun.StunAttribute;
import io.presence.stun.StunMessageWriter;

/**
 * EVEN-PORT (RFC 8656 §18.6): one byte whose top bit R asks the server to reserve the next port too.
 * ice4j writes it with four bytes and R always 0, and rejects the RFC's one-byte form; here it is written
 * with one byte (padded to four) and read in both forms.
 */
public final class EvenPort {
    private EvenPort() {
    }

    /** The R flag. */
    public static boolean reserveNext(StunAttribute attribute) {
        return (attribute.u8(0) & 0x80) != 0;
    }

    public static void write(StunMessageWriter writer, boolean reserveNext) {
        writer.attribute(AttributeType.EVEN_PORT, new byte[] {(byte) (reserveNext ? 0x80 : 0)});
    }
}
