package io.presence.stun.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.presence.stun.DecodeFailure;
import io.presence.stun.Hex;
import io.presence.stun.StunDecodeException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChannelDataTest {
    private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;

    static DecodeFailure failure(String hex) {
        ByteBuf b = Unpooled.wrappedBuffer(Hex.bytes(hex));
        try {
            return assertThrows(StunDecodeException.class, () -> ChannelData.parse(b)).reason();
        } finally {
            b.release();
        }
    }

    @Test
    void encodeDatagramAndStream() throws Exception {
        ByteBuf frame = ChannelData.encode(alloc, 0x4001, Unpooled.copiedBuffer("hello", StandardCharsets.US_ASCII), false);
        assertEquals("40010005" + "68656c6c6f", ByteBufUtil.hexDump(frame));
        assertEquals(0x4001, ChannelData.parse(frame));
        assertEquals(5, ChannelData.payloadLength(frame));
        ByteBuf payload = ChannelData.toPayload(frame);
        assertEquals("hello", payload.toString(StandardCharsets.US_ASCII));
        assertTrue(frame.release());
        assertEquals(0, frame.refCnt());

        ByteBuf padded = ChannelData.encode(alloc, 0x4FFF, Unpooled.copiedBuffer("hello", StandardCharsets.US_ASCII), true);
        assertEquals("4fff0005" + "68656c6c6f" + "000000", ByteBufUtil.hexDump(padded));
        assertEquals(0x4FFF, ChannelData.parse(padded), "padding accepted");
        assertEquals("hello", ChannelData.toPayload(padded).toString(StandardCharsets.US_ASCII));
        assertTrue(padded.release());

        ByteBuf four = ChannelData.encode(alloc, 0x4000, Unpooled.wrappedBuffer(new byte[4]), true);
        assertEquals(8, four.readableBytes(), "already aligned: no padding");
        four.release();
    }

    @Test
    void encodeTakesOwnershipEvenOnBadChannel() {
        ByteBuf payload = alloc.buffer().writeByte(1);
        assertThrows(IllegalArgumentException.class, () -> ChannelData.encode(alloc, 0x3FFF, payload, false));
        assertEquals(0, payload.refCnt());
        ByteBuf p2 = alloc.buffer().writeByte(1);
        assertThrows(IllegalArgumentException.class, () -> ChannelData.encode(alloc, 0x5000, p2, true));
        assertEquals(0, p2.refCnt());
    }

    @Test
    void parseRejects() {
        assertEquals(DecodeFailure.TRUNCATED, failure("4001"));
        assertEquals(DecodeFailure.TRUNCATED, failure("40010005 68656c6c"));
        assertEquals(DecodeFailure.BAD_CHANNEL, failure("50000001 68"), "0x5000 is past 0x4FFF (reserved)");
        assertEquals(DecodeFailure.BAD_CHANNEL, failure("7fff0001 68"));
        assertEquals(DecodeFailure.BAD_LENGTH, failure("40000001 68 00000000"), "more than 3 bytes after");
    }

    @Test
    void firstBitsDemux() {
        assertTrue(ChannelData.isChannelData(0x40));
        assertTrue(ChannelData.isChannelData(0x7F));
        assertFalse(ChannelData.isChannelData(0x00));
        assertFalse(ChannelData.isChannelData(0x80));
    }

    @Test
    void parseDoesNotAllocateOnFailure() {
        // The same preallocated exception object is reused: no allocation per bad frame.
        ByteBuf a = Unpooled.wrappedBuffer(Hex.bytes("50000000"));
        ByteBuf b = Unpooled.wrappedBuffer(Hex.bytes("60000000"));
        StunDecodeException ea = assertThrows(StunDecodeException.class, () -> ChannelData.parse(a));
        StunDecodeException eb = assertThrows(StunDecodeException.class, () -> ChannelData.parse(b));
        assertTrue(ea == eb);
        assertEquals(0, ea.getStackTrace().length);
    }
}
