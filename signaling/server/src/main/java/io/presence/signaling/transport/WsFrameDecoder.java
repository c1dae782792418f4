package io.presence.signaling.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.presence.signaling.protocol.ClientMessageDecoder;
import io.presence.signaling.protocol.DecodeResult;
import io.presence.signaling.protocol.ErrorCode;

import java.util.List;

/**
 * WebSocket data frames to {@link DecodeResult}s. Text frames carry the JSON protocol; binary frames are answered
 * with a typed error and the connection stays open. Frames between the configured cap and the WebSocket layer's
 * hard cap are rejected here with a typed error (beyond the hard cap the WebSocket layer closes with 1009).
 *
 * <p>Buffer ownership: the superclass releases each frame after {@link #decode} returns; nothing is retained.
 * Control frames (ping, pong, close) are handled by the WebSocket protocol handler before this one.
 */
final class WsFrameDecoder extends MessageToMessageDecoder<WebSocketFrame> {
    private final ClientMessageDecoder decoder;
    private final int maxFrameBytes;

    WsFrameDecoder(ClientMessageDecoder decoder, int maxFrameBytes) {
        super(WebSocketFrame.class);
        this.decoder = decoder;
        this.maxFrameBytes = maxFrameBytes;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, WebSocketFrame frame, List<Object> out) {
        if (frame instanceof TextWebSocketFrame || frame instanceof ContinuationWebSocketFrame) {
            if (frame.content().readableBytes() > maxFrameBytes) {
                ctx.fireExceptionCaught(new io.netty.handler.codec.TooLongFrameException(
                        "frame of " + frame.content().readableBytes() + " bytes"));
                return;
            }
            out.add(JsonFrames.decode(decoder, frame.content()));
        } else if (frame instanceof BinaryWebSocketFrame) {
            out.add(new DecodeResult.Rejected(ErrorCode.BINARY_FRAME,
                    "binary frames are not accepted; send JSON as text frames", null, null));
        }
        // Other frame types never reach here: the protocol handler consumes them.
    }
}
