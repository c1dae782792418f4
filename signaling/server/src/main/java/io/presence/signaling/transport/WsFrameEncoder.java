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
 * once into a pooled buffer (no per-message array).
 *
 * <p>With {@code rawFrames} (no WebSocket extension negotiated on this connection) the encoder writes the whole
 * frame itself — the 2-, 4- or 10-byte server header (FIN, text opcode, unmasked) and the payload in one buffer —
 * which the WebSocket frame encoder further down passes through untouched: this saves a frame object, a second
 * buffer and a copy per message. With an extension (permessage-deflate) it hands on {@link TextWebSocketFrame}s
 * so the extension still sees and compresses them. Close frames always go through Netty's encoder; order is kept
 * because both travel the same pipeline.
 */
final class WsFrameEncoder extends MessageToMessageEncoder<ServerMessage> {
    private static final int FIN_TEXT = 0x81;
    private final ProtocolJson json;
    private final boolean rawFrames;

    WsFrameEncoder(ProtocolJson json) {
        this(json, false);
    }

    WsFrameEncoder(ProtocolJson json, boolean rawFrames) {
        super(ServerMessage.class);
        this.json = json;
        this.rawFrames = rawFrames;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, ServerMessage msg, List<Object> out) {
        JsonBytes bytes = json.encodeToScratch(msg);
        int n = bytes.length();
        if (!rawFrames) {
            ByteBuf payload = ctx.alloc().buffer(n);
            payload.writeBytes(bytes.array(), 0, n);
            out.add(new TextWebSocketFrame(payload));
            return;
        }
        int header = n < 126 ? 2 : n <= 0xFFFF ? 4 : 10;
        ByteBuf frame = ctx.alloc().ioBuffer(header + n);
        frame.writeByte(FIN_TEXT);
        if (n < 126) {
            frame.writeByte(n);
        } else if (n <= 0xFFFF) {
            frame.writeByte(126).writeShort(n);
        } else {
            frame.writeByte(127).writeLong(n);
        }
        frame.writeBytes(bytes.array(), 0, n);
        out.add(frame);
    }
}
