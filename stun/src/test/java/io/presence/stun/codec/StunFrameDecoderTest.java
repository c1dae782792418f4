package io.presence.stun.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.presence.stun.DecodeFailure;
import io.presence.stun.Hex;
import io.presence.stun.MessageClass;
import io.presence.stun.Method;
import io.presence.stun.StunDecodeException;
import io.presence.stun.StunMessageWriter;
import io.presence.stun.TransactionId;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

class StunFrameDecoderTest {

    static final class Failures extends ChannelInboundHandlerAdapter {
        final List<Throwable> seen = new ArrayList<>();

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            seen.add(cause);
        }
    }

    static ByteBuf stun(int attributes) {
        ByteBuf out = Unpooled.buffer();
        StunMessageWriter w = StunMessageWriter.begin(out, Method.REFRESH, MessageClass.REQUEST, TransactionId.random());
        for (int i = 0; i < attributes; i++) {
            w.u32(0x000D, i);
        }
        w.finish();
        return out;
    }

    @Test
    void splitsMixedStreamByteByByte() {
        Failures failures = new Failures();
        EmbeddedChannel ch = new EmbeddedChannel(new StunFrameDecoder(4096), failures);
        ByteBuf msg = stun(2);
        ByteBuf stream = Unpooled.buffer();
        stream.writeBytes(Hex.bytes("40010005 68656c6c6f 000000")); // padded ChannelData
        stream.writeBytes(msg, 0, msg.readableBytes());
        stream.writeBytes(Hex.bytes("40020000"));                    // empty ChannelData
        stream.writeBytes(Hex.bytes("40030004 01020304"));           // aligned ChannelData
        String expectedStun = ByteBufUtil.hexDump(msg);
        msg.release();
        while (stream.isReadable()) {
            ch.writeInbound(stream.readRetainedSlice(1));
        }
        stream.release();
        List<String> frames = new ArrayList<>();
        for (ByteBuf f; (f = ch.readInbound()) != null; ) {
            frames.add(ByteBufUtil.hexDump(f));
            f.release();
            assertEquals(0, f.refCnt());
        }
        assertEquals(List.of("4001000568656c6c6f", expectedStun, "40020000", "4003000401020304"), frames);
        assertEquals(List.of(), failures.seen);
        assertFalse(ch.finish());
    }

    @Test
    void oversizedFrameFailsOnceAndDiscardsTheRest() {
        Failures failures = new Failures();
        EmbeddedChannel ch = new EmbeddedChannel(new StunFrameDecoder(64), failures);
        ByteBuf big = stun(20); // 20 + 160 bytes
        ch.writeInbound(big);
        ch.writeInbound(stun(0));
        assertNull(ch.readInbound());
        assertEquals(1, failures.seen.size());
        assertEquals(DecodeFailure.FRAME_TOO_LARGE, ((StunDecodeException) failures.seen.get(0)).reason());
        assertEquals(0, big.refCnt());
        assertFalse(ch.finish());
    }

    @Test
    void garbageAndBadLengthAreViolations() {
        for (String[] c : new String[][] {{"80000000", "NOT_STUN"}, {"00010002 2112a442", "BAD_LENGTH"}}) {
            Failures failures = new Failures();
            EmbeddedChannel ch = new EmbeddedChannel(new StunFrameDecoder(4096), failures);
            ByteBuf in = Unpooled.wrappedBuffer(Hex.bytes(c[0]));
            ch.writeInbound(in);
            assertEquals(DecodeFailure.valueOf(c[1]), ((StunDecodeException) failures.seen.get(0)).reason());
            assertEquals(0, in.refCnt());
            assertFalse(ch.finish());
        }
    }

    @Test
    void partialFrameIsHeldUntilComplete() {
        EmbeddedChannel ch = new EmbeddedChannel(new StunFrameDecoder(4096));
        ByteBuf msg = stun(3);
        ch.writeInbound(msg.retainedSlice(0, 25));
        assertNull(ch.readInbound());
        ch.writeInbound(msg.retainedSlice(25, msg.readableBytes() - 25));
        ByteBuf f = ch.readInbound();
        assertEquals(ByteBufUtil.hexDump(msg), ByteBufUtil.hexDump(f));
        f.release();
        msg.release();
        assertEquals(0, msg.refCnt());
        assertFalse(ch.finish());
    }
}
