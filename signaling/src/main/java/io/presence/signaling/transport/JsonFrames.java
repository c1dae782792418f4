package io.presence.signaling.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.presence.signaling.protocol.ClientMessageDecoder;
import io.presence.signaling.protocol.DecodeResult;

/** Decodes one frame's bytes, wherever they came from. Does not release or keep {@code frame}. */
final class JsonFrames {
    private JsonFrames() {
    }

    static DecodeResult decode(ClientMessageDecoder decoder, ByteBuf frame) {
        if (frame.hasArray()) {
            return decoder.decode(frame.array(), frame.arrayOffset() + frame.readerIndex(), frame.readableBytes());
        }
        return decoder.decode(ByteBufUtil.getBytes(frame));
    }
}
