package io.presence.signaling.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;
import io.presence.signaling.protocol.ProtocolJson;
import io.presence.signaling.protocol.ServerMessage;

/**
 * Writes each server message as one line: JSON then {@code \n}. Jackson escapes control characters inside
 * strings, so the JSON itself never contains a newline. The output buffer is allocated and handed on by the
 * superclass.
 */
final class TcpFrameEncoder extends MessageToByteEncoder<ServerMessage> {
    private static final byte NEWLINE = '\n';
    private final ProtocolJson json;

    TcpFrameEncoder(ProtocolJson json) {
        super(ServerMessage.class);
        this.json = json;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, ServerMessage msg, ByteBuf out) {
        out.writeBytes(json.encode(msg)).writeByte(NEWLINE);
    }
}
