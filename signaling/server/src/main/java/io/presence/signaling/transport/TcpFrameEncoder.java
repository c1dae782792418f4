package io.presence.signaling.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import io.presence.signaling.protocol.JsonBytes;
import io.presence.signaling.protocol.ProtocolJson;
import io.presence.signaling.protocol.ServerMessage;

import java.util.List;

/**
 * Writes each server message as one line: JSON then {@code \n}. The JSON never contains a newline (control
 * characters inside strings are escaped). The message is encoded into the thread's reusable buffer, then copied
 * once into a pooled I/O buffer of exactly the right size, which goes on down the pipeline.
 */
final class TcpFrameEncoder extends MessageToMessageEncoder<ServerMessage> {
    private static final byte NEWLINE = '\n';
    private final ProtocolJson json;

    TcpFrameEncoder(ProtocolJson json) {
        super(ServerMessage.class);
        this.json = json;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, ServerMessage msg, List<Object> out) {
        JsonBytes bytes = json.encodeToScratch(msg);
        ByteBuf line = ctx.alloc().ioBuffer(bytes.length() + 1);
        line.writeBytes(bytes.array(), 0, bytes.length()).writeByte(NEWLINE);
        out.add(line);
    }
}
