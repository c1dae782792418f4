package io.presence.turn.handler;

import io.netty.buffer.ByteBuf;

/**
 * Channel numbers and ChannelData framing as the relay accepts them. RFC 8656 §12 narrowed channel numbers to
 * 0x4000–0x4FFF; RFC 5766 §11 allowed 0x4000–0x7FFF, and deployed clients (coturn's turnutils_uclient, restund,
 * older libnice) still pick numbers up to 0x7FFF. Accepting the wider range costs nothing on the server's port
 * (nothing else is multiplexed there), so it is on by default ({@code TurnSettings.legacyChannelNumbers}).
 *
 * <p>The stun codec's {@code ChannelData.parse} enforces RFC 8656's range, so this class parses the 4-byte header
 * itself — the same checks, allocation-free. Thread-safe (immutable).
 */
final class ChannelFrames {
    static final int MIN = 0x4000;
    static final int MAX_RFC8656 = 0x4FFF;
    static final int MAX_RFC5766 = 0x7FFF;

    private final int max;

    ChannelFrames(boolean legacy) {
        this.max = legacy ? MAX_RFC5766 : MAX_RFC8656;
    }

    boolean valid(int channel) {
        return channel >= MIN && channel <= max;
    }

    /**
     * The channel number of the ChannelData frame in {@code frame}'s readable bytes, or -1 when it is malformed:
     * shorter than its length field, more than 3 bytes of padding after it, or a number outside the range.
     */
    int parse(ByteBuf frame) {
        int index = frame.readerIndex();
        int available = frame.readableBytes();
        if (available < 4) {
            return -1;
        }
        int channel = frame.getUnsignedShort(index);
        int extra = available - 4 - frame.getUnsignedShort(index + 2);
        if (extra < 0 || extra > 3 || !valid(channel)) {
            return -1;
        }
        return channel;
    }

    /** Turns a parsed frame into its payload in place (indices only). */
    static ByteBuf toPayload(ByteBuf frame) {
        int index = frame.readerIndex();
        return frame.setIndex(index + 4, index + 4 + frame.getUnsignedShort(index + 2));
    }
}
