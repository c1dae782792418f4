package io.presence.signaling.transport;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.presence.signaling.protocol.ProtocolJson;
import io.presence.signaling.protocol.ServerMessage;

import java.util.List;

/** Each server message becomes one text frame. The frame owns a wrapped array; the WebSocket encoder releases it. */
final class WsFrameEncoder extends MessageToMessageEncoder<ServerMessage> {
    private final ProtocolJson json;

    WsFrameEncoder(ProtocolJson json) {
        super(ServerMessage.class);
        this.json = json;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, ServerMessage msg, List<Object> out) {
        out.add(new TextWebSocketFrame(Unpooled.wrappedBuffer(json.encode(msg))));
    }
}
