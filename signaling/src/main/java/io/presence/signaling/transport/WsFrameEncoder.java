package io.presence.signaling.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.presence.signaling.protocol.JsonBytes;
import io.presence.signaling.protocol.ProtocolJson;
import io.presence.signaling.protocol.ServerMessage;

import java.util.List;

/**
 * Each server message becomes one text frame. The message is encoded into the thread's reusable buffer and copied
 * once into a pooled buffer the frame owns (no per-message array); the WebSocket encoder releases it.
 */
final class WsFrameEncoder extends MessageToMessageEncoder<ServerMessage> {
    private final ProtocolJson json;

    WsFrameEncoder(ProtocolJson json) {
        super(ServerMessage.class);
        this.json = json;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, ServerMessage msg, List<Object> out) {
        JsonBytes bytes = json.encodeToScratch(msg);
        ByteBuf payload = ctx.alloc().buffer(bytes.length());
        payload.writeBytes(bytes.array(), 0, bytes.length());
        out.add(new TextWebSocketFrame(payload));
    }
}
