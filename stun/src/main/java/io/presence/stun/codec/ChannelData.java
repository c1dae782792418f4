package io.presence.stun.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.presence.stun.DecodeFailure;
import io.presence.stun.StunDecodeException;

/**
 * ChannelData framing (RFC 8656 §12.4): a 2-byte channel number (0x4000–0x4FFF), a 2-byte payload length,
 * the payload, and on stream transports padding to a multiple of 4.
 *
 * <p>This is the relay's hot path: {@link #parse(ByteBuf)} reads two shorts and allocates nothing (its
 * failures are preallocated), and the payload is used in place, by index, without a copy.
 */
public final class ChannelData {
    public static final int HEADER_LENGTH = 4;
    public static final int MIN_CHANNEL = 0x4000;
    public static final int MAX_CHANNEL = 0x4FFF;

    // Preallocated: a flood of bad frames must not become a flood of allocations.
    private static final StunDecodeException TRUNCATED =
            new StunDecodeException(DecodeFailure.TRUNCATED, "ChannelData shorter than its length");
    private static final StunDecodeException BAD_CHANNEL =
            new StunDecodeException(DecodeFailure.BAD_CHANNEL, "channel outside 0x4000-0x4FFF");
    private static final StunDecodeException BAD_LENGTH =
            new StunDecodeException(DecodeFailure.BAD_LENGTH, "ChannelData followed by more than padding");

    // Shared zeros for stream padding; releasing a slice of an unreleasable buffer does nothing.
    private static final ByteBuf PADDING =
            Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(new byte[3]).asReadOnly());

    private ChannelData() {
    }

    /** Whether a datagram or frame starting with this byte is ChannelData (first two bits 0b01). */
    public static boolean isChannelData(int firstByte) {
        return (firstByte & 0xC0) == 0x40;
    }

    public static boolean isValidChannel(int channel) {
        return channel >= MIN_CHANNEL && channel <= MAX_CHANNEL;
    }

    /**
     * Validates the ChannelData frame in {@code frame}'s readable bytes and returns its channel number. At
     * most 3 bytes of padding may follow the payload. Does not move the indices; the payload is at
     * {@code readerIndex() + 4} for {@link #payloadLength(ByteBuf)} bytes.
     */
    public static int parse(ByteBuf frame) throws StunDecodeException {
        int index = frame.readerIndex();
        int available = frame.readableBytes();
        if (available < HEADER_LENGTH) {
            throw TRUNCATED;
        }
        int channel = frame.getUnsignedShort(index);
        if (!isValidChannel(channel)) {
            throw BAD_CHANNEL;
        }
        int extra = available - HEADER_LENGTH - frame.getUnsignedShort(index + 2);
        if (extra < 0) {
            throw TRUNCATED;
        }
        if (extra > 3) {
            throw BAD_LENGTH;
        }
        return channel;
    }

    /** The payload length announced by the frame's header (call after {@link #parse}). */
    public static int payloadLength(ByteBuf frame) {
        return frame.getUnsignedShort(frame.readerIndex() + 2);
    }

    /**
     * Turns a parsed frame into its payload in place: moves the reader index past the header and the
     * writer index to the end of the payload (dropping padding). Allocation-free.
     */
    public static ByteBuf toPayload(ByteBuf frame) {
        int index = frame.readerIndex();
        int length = frame.getUnsignedShort(index + 2);
        return frame.setIndex(index + HEADER_LENGTH, index + HEADER_LENGTH + length);
    }

    /** Writes a 4-byte header. */
    public static void writeHeader(ByteBuf out, int channel, int payloadLength) {
        if (!isValidChannel(channel)) {
            throw new IllegalArgumentException("channel 0x" + Integer.toHexString(channel));
        }
        if (payloadLength > 0xFFFF) {
            throw new IllegalArgumentException("payload of " + payloadLength + " bytes");
        }
        out.writeShort(channel);
        out.writeShort(payloadLength);
    }

    /**
     * Frames {@code payload} for {@code channel} without copying it: a composite of a 4-byte header, the
     * payload and, when {@code stream} is true (TCP/TLS), zero padding to a multiple of 4. Takes ownership
     * of {@code payload}; the caller owns the result.
     */
    public static ByteBuf encode(ByteBufAllocator alloc, int channel, ByteBuf payload, boolean stream) {
        int length = payload.readableBytes();
        if (!isValidChannel(channel) || length > 0xFFFF) {
            payload.release();
            throw new IllegalArgumentException("channel 0x" + Integer.toHexString(channel) + ", " + length + " bytes");
        }
        ByteBuf header = alloc.buffer(HEADER_LENGTH).writeShort(channel).writeShort(length);
        int padding = stream ? (4 - (length & 3)) & 3 : 0;
        CompositeByteBuf c = alloc.compositeBuffer(padding == 0 ? 2 : 3);
        c.addComponents(true, header, payload);
        if (padding > 0) {
            c.addComponent(true, PADDING.slice(0, padding));
        }
        return c;
    }
}
