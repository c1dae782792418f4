package io.presence.stun.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.presence.stun.Hex;
import io.presence.stun.server.StunPeer;
import io.presence.stun.server.StunTransport;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChannelDataTest {
    private static int parse(String hex, boolean legacy) {
        ByteBuf b = Unpooled.wrappedBuffer(Hex.bytes(hex));
        try {
            return ChannelData.parse(b, legacy);
        } finally {
            b.release();
        }
    }

    @Test
    void channelNumberRule() {
        assertFalse(ChannelData.isValidChannel(0x3FFF, false));
        assertTrue(ChannelData.isValidChannel(0x4000, false));
        assertTrue(ChannelData.isValidChannel(0x4FFF, false));
        assertFalse(ChannelData.isValidChannel(0x5000, false), "RFC 8656: 0x5000-0x7FFF reserved");
        assertTrue(ChannelData.isValidChannel(0x5000, true), "RFC 5766 range when legacy");
        assertTrue(ChannelData.isValidChannel(0x7FFF, true));
        assertFalse(ChannelData.isValidChannel(0x8000, true));
        assertFalse(ChannelData.isValidChannel(0x3FFF, true));
    }

    @Test
    void parseReadsTheNumberAndAcceptsUpToThreeBytesOfPadding() {
        assertEquals(0x4001, parse("40010005 68656c6c6f", false));
        assertEquals(0x4FFF, parse("4fff0005 68656c6c6f 000000", false));
        assertEquals(0x4000, parse("40000000", false), "empty payload");
    }

    @Test
    void parseRejectsMalformedFramesWithMinusOne() {
        assertEquals(-1, parse("4001", false), "shorter than a header");
        assertEquals(-1, parse("40010005 68656c6c", false), "shorter than its length");
        assertEquals(-1, parse("40000001 68 00000000", false), "more than 3 bytes after");
        assertEquals(-1, parse("50000001 68", false), "0x5000 is past 0x4FFF (reserved)");
        assertEquals(0x5000, parse("50000001 68", true));
        assertEquals(-1, parse("80000001 68", true));
    }

    @Test
    void toPayloadDropsHeaderAndPaddingInPlace() {
        ByteBuf frame = Unpooled.wrappedBuffer(Hex.bytes("4fff0005 68656c6c6f 000000"));
        ByteBuf payload = ChannelData.toPayload(frame);
        assertTrue(payload == frame, "same buffer, indices moved");
        assertEquals("hello", payload.toString(StandardCharsets.US_ASCII));
        frame.release();
    }

    @Test
    void headerAndPadding() {
        assertEquals(0x40010005, ChannelData.header(0x4001, 5));
        assertEquals(3, ChannelData.padding(5, true));
        assertEquals(0, ChannelData.padding(8, true));
        assertEquals(0, ChannelData.padding(5, false));
    }

    @Test
    void firstBitsDemux() {
        assertTrue(ChannelData.isChannelData(0x40));
        assertTrue(ChannelData.isChannelData(0x7F));
        assertFalse(ChannelData.isChannelData(0x00));
        assertFalse(ChannelData.isChannelData(0x80));
    }

    /** The framing every peer without a zero-copy path uses ({@link StunPeer#sendChannelData}'s default). */
    @Test
    void peersFrameChannelDataPaddedOnStreamsOnly() {
        RecordingPeer udp = new RecordingPeer(StunTransport.UDP);
        udp.sendChannelData(udp, 0x4001, Unpooled.copiedBuffer("hello", StandardCharsets.US_ASCII));
        assertEquals(List.of("40010005" + "68656c6c6f"), udp.sent);

        RecordingPeer tcp = new RecordingPeer(StunTransport.TCP);
        ByteBuf payload = Unpooled.copiedBuffer("hello", StandardCharsets.US_ASCII);
        tcp.sendChannelData(tcp, 0x7FFF, payload);
        assertEquals(List.of("7fff0005" + "68656c6c6f" + "000000"), tcp.sent, "padded; RFC 5766 numbers not refused");
        assertEquals(0, payload.refCnt(), "the peer took the payload");
    }

    private static final class RecordingPeer implements StunPeer {
        private final StunTransport transport;
        final List<String> sent = new ArrayList<>();

        RecordingPeer(StunTransport transport) {
            this.transport = transport;
        }

        @Override
        public StunTransport transport() {
            return transport;
        }

        @Override
        public InetSocketAddress remoteAddress() {
            return new InetSocketAddress("192.0.2.1", 1000);
        }

        @Override
        public InetSocketAddress localAddress() {
            return new InetSocketAddress("192.0.2.2", 3478);
        }

        @Override
        public EventLoop eventLoop() {
            throw new UnsupportedOperationException();
        }

        @Override
        public ByteBufAllocator alloc() {
            return PooledByteBufAllocator.DEFAULT;
        }

        @Override
        public void send(ByteBuf message) {
            sent.add(ByteBufUtil.hexDump(message));
            message.release();
        }
    }
}
