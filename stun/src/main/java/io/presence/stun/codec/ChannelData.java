package io.presence.stun.codec;

import io.netty.buffer.ByteBuf;

/**
 * ChannelData framing (RFC 8656 §12.4) and the channel-number rule: a 2-byte channel number, a 2-byte payload
 * length, the payload, and on stream transports padding to a multiple of 4.
 *
 * <p>The rule: RFC 8656 §12 allows channel numbers 0x4000–0x4FFF. RFC 5766 §11 allowed 0x4000–0x7FFF, and deployed
 * clients (coturn's turnutils_uclient, restund, older libnice) still pick numbers up to 0x7FFF; a server that
 * multiplexes nothing else on its port loses nothing by accepting them, so {@code legacy} widens the range to that.
 *
 * <p>This is the relay's hot path: {@link #parse} reads two shorts and allocates nothing, and the payload is used in
 * place, by index, without a copy. The senders ({@code StunPeer#sendChannelData}, the relay's in-place framing) write
 * the header with {@link #header}.
 */
public final class ChannelData {
    public static final int HEADER_LENGTH = 4;
    /** RFC 8656 §12: the lowest channel number. */
    public static final int MIN_CHANNEL = 0x4000;
    /** RFC 8656 §12: the highest channel number; 0x5000–0x7FFF are reserved. */
    public static final int MAX_CHANNEL = 0x4FFF;
    /** RFC 5766 §11: the highest channel number of the older range. */
    public static final int MAX_LEGACY_CHANNEL = 0x7FFF;

    private ChannelData() {
    }

    /** Whether a datagram or frame starting with this byte is ChannelData (first two bits 0b01). */
    public static boolean isChannelData(int firstByte) {
        return (firstByte & 0xC0) == 0x40;
    }

    /** Whether {@code channel} is a channel number: RFC 8656's range, or RFC 5766's when {@code legacy}. */
    public static boolean isValidChannel(int channel, boolean legacy) {
        return channel >= MIN_CHANNEL && channel <= (legacy ? MAX_LEGACY_CHANNEL : MAX_CHANNEL);
    }

    /**
     * The channel number of the ChannelData frame in {@code frame}'s readable bytes, or -1 when it is malformed:
     * shorter than its length field, more than 3 bytes of padding after the payload, or a number outside the range
     * ({@link #isValidChannel}). Does not move the indices.
     */
    public static int parse(ByteBuf frame, boolean legacy) {
        int index = frame.readerIndex();
        int available = frame.readableBytes();
        if (available < HEADER_LENGTH) {
            return -1;
        }
        int channel = frame.getUnsignedShort(index);
        int extra = available - HEADER_LENGTH - frame.getUnsignedShort(index + 2);
        if (extra < 0 || extra > 3 || !isValidChannel(channel, legacy)) {
            return -1;
        }
        return channel;
    }

    /**
     * Turns a parsed frame into its payload in place: moves the reader index past the header and the writer index to
     * the end of the payload (dropping padding). Allocation-free.
     */
    public static ByteBuf toPayload(ByteBuf frame) {
        int index = frame.readerIndex();
        int length = frame.getUnsignedShort(index + 2);
        return frame.setIndex(index + HEADER_LENGTH, index + HEADER_LENGTH + length);
    }

    /**
     * The 4-byte header of a frame on {@code channel} carrying {@code payloadLength} bytes, as one big-endian int. The
     * number is not checked: the caller relays on a channel it has bound, which passed {@link #isValidChannel}.
     */
    public static int header(int channel, int payloadLength) {
        return channel << 16 | payloadLength;
    }

    /** Zero bytes after a payload of {@code payloadLength}: up to a multiple of 4 on a stream, none in a datagram. */
    public static int padding(int payloadLength, boolean stream) {
        return stream ? (4 - (payloadLength & 3)) & 3 : 0;
    }
}
