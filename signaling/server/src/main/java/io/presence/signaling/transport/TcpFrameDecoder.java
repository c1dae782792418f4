package io.presence.signaling.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.presence.signaling.protocol.ClientMessageDecoder;

/**
 * TCP framing: one JSON object per line, terminated by {@code \n} (a preceding {@code \r} is tolerated, empty
 * lines are skipped). A line longer than the cap is discarded up to its newline and reported as a
 * {@link io.netty.handler.codec.TooLongFrameException}, so the connection survives an oversized frame without ever
 * buffering more than the cap.
 *
 * <p>Buffer ownership: the line buffer produced by the superclass is owned and released here; what goes up the
 * pipeline is a plain {@link io.presence.signaling.protocol.DecodeResult}.
 */
final class TcpFrameDecoder extends LineBasedFrameDecoder {
    private final ClientMessageDecoder decoder;

    TcpFrameDecoder(int maxFrameBytes, ClientMessageDecoder decoder) {
        super(maxFrameBytes, true, false);
        this.decoder = decoder;
    }

    @Override
    protected Object decode(ChannelHandlerContext ctx, ByteBuf buffer) throws Exception {
        while (true) {
            ByteBuf line = (ByteBuf) super.decode(ctx, buffer);
            if (line == null) {
                return null;
            }
            try {
                if (line.isReadable()) {
                    return JsonFrames.decode(decoder, line);
                }
            } finally {
                line.release();
            }
        }
    }
}
