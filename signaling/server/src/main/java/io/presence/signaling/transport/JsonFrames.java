package io.presence.signaling.transport;

import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.FastThreadLocal;
import io.presence.signaling.protocol.ClientMessageDecoder;
import io.presence.signaling.protocol.DecodeResult;

/** Decodes one frame's bytes, wherever they came from. Does not release or keep {@code frame}. */
final class JsonFrames {
    /** Frames up to this size are copied out of direct buffers into a per-thread array instead of a fresh one. */
    static final int SCRATCH_BYTES = 16 * 1024;
    private static final FastThreadLocal<byte[]> SCRATCH = new FastThreadLocal<>() {
        @Override
        protected byte[] initialValue() {
            return new byte[SCRATCH_BYTES];
        }
    };

    private JsonFrames() {
    }

    static DecodeResult decode(ClientMessageDecoder decoder, ByteBuf frame) {
        int length = frame.readableBytes();
        if (frame.hasArray()) {
            return decoder.decode(frame.array(), frame.arrayOffset() + frame.readerIndex(), length);
        }
        // The decoder only reads the array during the call and never keeps it, so a reused one is safe.
        byte[] bytes = length <= SCRATCH_BYTES ? SCRATCH.get() : new byte[length];
        frame.getBytes(frame.readerIndex(), bytes, 0, length);
        return decoder.decode(bytes, 0, length);
    }
}
