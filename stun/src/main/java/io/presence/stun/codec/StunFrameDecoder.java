package io.presence.stun.codec;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.presence.stun.DecodeFailure;
import io.presence.stun.StunDecodeException;
import io.presence.stun.StunMessage;

import java.util.List;

/**
 * Cuts a TCP or TLS byte stream into STUN messages and ChannelData frames (RFC 8489 §6.2.2, RFC 8656
 * §12.5). A state machine with two states: reading frames, and failed. Each frame is emitted as a
 * retained slice of the input — no copy — holding exactly one STUN message, or one ChannelData header and
 * payload without its stream padding, the same bytes a datagram would carry.
 *
 * <p>A frame larger than {@code maxFrameBytes}, or one that starts with neither 0b00 nor 0b01, is a protocol
 * violation: a stream cannot resynchronise after it, so the decoder discards everything from then on and
 * reports a {@link StunDecodeException} once through {@code exceptionCaught}; the next handler counts it
 * and closes the connection.
 *
 * <p>Buffer ownership: consumes its input ({@code ByteToMessageDecoder} releases it); each emitted frame is
 * owned by the next handler, which must release it.
 */
public final class StunFrameDecoder extends ByteToMessageDecoder {
    private final int maxFrameBytes;
    private boolean failed;

    public StunFrameDecoder(int maxFrameBytes) {
        if (maxFrameBytes < StunMessage.HEADER_LENGTH) {
            throw new IllegalArgumentException("maxFrameBytes " + maxFrameBytes + " below a STUN header");
        }
        this.maxFrameBytes = maxFrameBytes;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        while (in.readableBytes() >= 4) {
            int index = in.readerIndex();
            int first = in.getUnsignedByte(index);
            int length = in.getUnsignedShort(index + 2);
            int frameLength;
            int emitted;
            if (StunMessage.isStun(first)) {
                if ((length & 3) != 0) {
                    fail(ctx, in, DecodeFailure.BAD_LENGTH, "STUN length " + length);
                    return;
                }
                frameLength = StunMessage.HEADER_LENGTH + length;
                emitted = frameLength;
            } else if (ChannelData.isChannelData(first)) {
                emitted = ChannelData.HEADER_LENGTH + length;
                frameLength = (emitted + 3) & ~3;
            } else {
                fail(ctx, in, DecodeFailure.NOT_STUN, "first byte 0x" + Integer.toHexString(first));
                return;
            }
            if (frameLength > maxFrameBytes) {
                fail(ctx, in, DecodeFailure.FRAME_TOO_LARGE, frameLength + " > " + maxFrameBytes);
                return;
            }
            if (in.readableBytes() < frameLength) {
                return;
            }
            out.add(in.retainedSlice(index, emitted));
            in.skipBytes(frameLength);
        }
    }

    /** Whether part of a frame has arrived and waits for the rest (a connection's deadlines watch it). */
    public boolean hasPartialFrame() {
        return !failed && actualReadableBytes() > 0;
    }

    private void fail(ChannelHandlerContext ctx, ByteBuf in, DecodeFailure reason, String detail) {
        failed = true;
        in.skipBytes(in.readableBytes());
        ctx.fireExceptionCaught(new StunDecodeException(reason, detail));
    }
}
