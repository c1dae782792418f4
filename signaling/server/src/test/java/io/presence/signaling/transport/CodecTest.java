package io.presence.signaling.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.presence.signaling.protocol.ClientMessage;
import io.presence.signaling.protocol.ClientMessageDecoder;
import io.presence.signaling.protocol.DecodeResult;
import io.presence.signaling.protocol.ErrorCode;
import io.presence.signaling.protocol.ProtocolJson;
import io.presence.signaling.protocol.ServerMessage;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Codecs on EmbeddedChannel: framing, caps, and that every buffer is released. */
class CodecTest {
    final ClientMessageDecoder decoder = new ClientMessageDecoder();
    final ProtocolJson json = new ProtocolJson();

    private static ByteBuf utf8(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.UTF_8);
    }

    @Test
    void tcpFramingSplitsCoalescedAndReassemblesFragmentedFrames() {
        EmbeddedChannel ch = new EmbeddedChannel(new TcpFrameDecoder(1024, decoder));
        ByteBuf twoInOne = utf8("{\"type\":\"ping\",\"requestId\":\"a\"}\n\r\n\n{\"type\":\"ping\",\"requestId\":\"b\"}\r\n{\"type\":");
        ch.writeInbound(twoInOne);
        assertEquals(new ClientMessage.Ping("a"), ((DecodeResult.Decoded) ch.readInbound()).message());
        assertEquals(new ClientMessage.Ping("b"), ((DecodeResult.Decoded) ch.readInbound()).message());
        assertNull(ch.readInbound(), "the partial third frame waits for its newline");
        ByteBuf rest = utf8("\"pong\"}\n");
        ch.writeInbound(rest);
        assertEquals(new ClientMessage.Pong(null), ((DecodeResult.Decoded) ch.readInbound()).message());
        assertEquals(0, twoInOne.refCnt());
        assertEquals(0, rest.refCnt());
        assertFalse(ch.finish());
    }

    @Test
    void tcpOversizedLineIsDiscardedAndReportedThenFramingResumes() {
        EmbeddedChannel ch = new EmbeddedChannel(new TcpFrameDecoder(300, decoder));
        ByteBuf big = utf8("{\"x\":\"" + "y".repeat(1000) + "\"}\n{\"type\":\"ping\"}\n");
        DecoderException e = assertThrows(DecoderException.class, () -> ch.writeInbound(big));
        assertInstanceOf(TooLongFrameException.class, e.getCause() == null ? e : e.getCause());
        ch.writeInbound(Unpooled.EMPTY_BUFFER);
        assertEquals(new ClientMessage.Ping(null), ((DecodeResult.Decoded) ch.readInbound()).message());
        assertEquals(0, big.refCnt());
        assertFalse(ch.finish());
    }

    @Test
    void tcpEncoderWritesOneLinePerMessage() {
        EmbeddedChannel ch = new EmbeddedChannel(new TcpFrameEncoder(json));
        ch.writeOutbound(new ServerMessage.Ok("1"), new ServerMessage.Closing("bye", "line\nbreak"));
        ByteBuf first = ch.readOutbound();
        ByteBuf second = ch.readOutbound();
        assertEquals("{\"type\":\"ok\",\"requestId\":\"1\"}\n", first.toString(StandardCharsets.UTF_8));
        String line = second.toString(StandardCharsets.UTF_8);
        assertEquals(line.length() - 1, line.indexOf('\n'), "escaped newline inside, one at the end");
        first.release();
        second.release();
        assertFalse(ch.finish());
    }

    @Test
    void webSocketTextBinaryAndOversizedFrames() {
        EmbeddedChannel ch = new EmbeddedChannel(new WsFrameDecoder(decoder, 256));
        TextWebSocketFrame text = new TextWebSocketFrame("{\"type\":\"room.join\",\"roomId\":\"r\"}");
        ch.writeInbound(text);
        assertEquals(new ClientMessage.JoinRoom(null, "r"), ((DecodeResult.Decoded) ch.readInbound()).message());
        BinaryWebSocketFrame binary = new BinaryWebSocketFrame(Unpooled.wrappedBuffer(new byte[]{1, 2}));
        ch.writeInbound(binary);
        assertEquals(ErrorCode.BINARY_FRAME, ((DecodeResult.Rejected) ch.readInbound()).code());
        TextWebSocketFrame big = new TextWebSocketFrame("x".repeat(300));
        assertThrows(TooLongFrameException.class, () -> ch.writeInbound(big));
        assertEquals(0, text.refCnt());
        assertEquals(0, binary.refCnt());
        assertEquals(0, big.refCnt());
        assertFalse(ch.finish());
    }

    @Test
    void webSocketEncoderMakesTextFrames() {
        EmbeddedChannel ch = new EmbeddedChannel(new WsFrameEncoder(json));
        ch.writeOutbound(ServerMessage.Ping.INSTANCE);
        TextWebSocketFrame frame = ch.readOutbound();
        assertEquals("{\"type\":\"ping\"}", frame.text());
        frame.release();
        assertFalse(ch.finish());
    }

    /** Raw frames (no extension negotiated) must parse as the same text frames Netty's encoder would produce. */
    @Test
    void webSocketEncoderRawFramesAreValidServerFrames() {
        for (int size : new int[]{0, 100, 125, 126, 200, 65535, 65536, 70000}) {
            EmbeddedChannel enc = new EmbeddedChannel(new WsFrameEncoder(json, true));
            enc.writeOutbound(new ServerMessage.Ok("x".repeat(size)));
            ByteBuf wire = enc.readOutbound();
            EmbeddedChannel dec = new EmbeddedChannel(
                    new io.netty.handler.codec.http.websocketx.WebSocket08FrameDecoder(false, false, 1 << 20));
            dec.writeInbound(wire);
            TextWebSocketFrame frame = dec.readInbound();
            assertEquals(new String(json.encode(new ServerMessage.Ok("x".repeat(size))), StandardCharsets.UTF_8),
                    frame.text(), "payload of " + size);
            assertEquals(true, frame.isFinalFragment());
            frame.release();
            assertFalse(enc.finish());
            assertFalse(dec.finish());
        }
    }
}
