package io.presence.stun.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.presence.stun.AttributeType;
import io.presence.stun.DecodeFailure;
import io.presence.stun.MessageClass;
import io.presence.stun.Method;
import io.presence.stun.StunDecodeException;
import io.presence.stun.StunMessage;
import io.presence.stun.StunMessageWriter;
import io.presence.stun.TransactionId;
import io.presence.stun.attr.XorAddress;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TurnIndicationTest {
    private final PooledByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;

    @Test
    void dataIndicationRoundTripsThroughTheFullDecoder() throws Exception {
        InetSocketAddress peer = new InetSocketAddress("2001:db8::9", 5000);
        ByteBuf ind = TurnIndication.encodeData(alloc, peer, Unpooled.copiedBuffer("hello", StandardCharsets.US_ASCII));
        assertEquals(20 + 24 + 4 + 8, ind.readableBytes());
        StunMessage m = StunMessage.decode(ind);
        assertTrue(m.is(Method.DATA, MessageClass.INDICATION));
        assertEquals(peer, XorAddress.decode(m.first(AttributeType.XOR_PEER_ADDRESS)));
        assertEquals("hello", m.first(AttributeType.DATA).utf8());

        TurnIndication view = new TurnIndication();
        assertTrue(view.parse(ind));
        assertFalse(view.isSend());
        assertEquals(peer, view.peerAddress());
        assertEquals("hello", view.toData(ind).toString(StandardCharsets.US_ASCII));
        assertTrue(ind.release());
    }

    @Test
    void sendIndicationParsedInPlace() throws Exception {
        InetSocketAddress peer = new InetSocketAddress("198.51.100.7", 40000);
        ByteBuf ind = TurnIndication.encodeSend(alloc, peer, Unpooled.wrappedBuffer(new byte[] {1, 2, 3, 4, 5, 6}));
        ByteBuf flat = alloc.buffer().writeBytes(ind);
        ind.release();
        TurnIndication view = new TurnIndication();
        assertTrue(view.parse(flat));
        assertTrue(view.isSend());
        assertTrue(view.isIpv4());
        assertEquals(0xC6336407, view.peerIpv4());
        assertEquals(40000, view.peerPort());
        assertArrayEquals(new byte[] {(byte) 198, 51, 100, 7}, view.peerAddressBytes());
        assertEquals(6, view.dataLength());
        assertFalse(view.dontFragment());
        assertFalse(view.hasUnknownComprehensionRequired());
        ByteBuf data = view.toData(flat);
        assertEquals(flat, data, "same buffer, indices moved");
        assertEquals(6, data.readableBytes());
        assertEquals(1, data.getByte(data.readerIndex()));
        assertTrue(flat.release());
    }

    static ByteBuf send(Consumer<StunMessageWriter> body) {
        ByteBuf out = Unpooled.buffer();
        StunMessageWriter w = StunMessageWriter.begin(out, Method.SEND, MessageClass.INDICATION, TransactionId.random());
        body.accept(w);
        w.finish();
        return out;
    }

    @Test
    void firstPeerAddressCountsFlagsAndUnknownAttributesAreReported() throws Exception {
        InetSocketAddress first = new InetSocketAddress("192.0.2.1", 1);
        ByteBuf b = send(w -> w.xorAddress(AttributeType.XOR_PEER_ADDRESS, first)
                .xorAddress(AttributeType.XOR_PEER_ADDRESS, new InetSocketAddress("192.0.2.2", 2))
                .flag(AttributeType.DONT_FRAGMENT).u32(0x0033, 1)
                .attribute(AttributeType.DATA, new byte[3]).fingerprint());
        TurnIndication view = new TurnIndication();
        assertTrue(view.parse(b));
        assertEquals(first, view.peerAddress());
        assertTrue(view.dontFragment());
        assertTrue(view.hasUnknownComprehensionRequired());
        assertEquals(3, view.dataLength());
        b.release();
    }

    @Test
    void rejectsMalformed() {
        TurnIndication view = new TurnIndication();
        ByteBuf noData = send(w -> w.xorAddress(AttributeType.XOR_PEER_ADDRESS, new InetSocketAddress("192.0.2.1", 1)));
        assertEquals(DecodeFailure.MISSING_ATTRIBUTE, assertThrows(StunDecodeException.class, () -> view.parse(noData)).reason());
        noData.release();
        ByteBuf badFp = send(w -> w.xorAddress(AttributeType.XOR_PEER_ADDRESS, new InetSocketAddress("192.0.2.1", 1))
                .attribute(AttributeType.DATA, new byte[1]).fingerprint());
        badFp.setByte(badFp.writerIndex() - 1, badFp.getByte(badFp.writerIndex() - 1) ^ 1);
        assertEquals(DecodeFailure.BAD_FINGERPRINT, assertThrows(StunDecodeException.class, () -> view.parse(badFp)).reason());
        badFp.release();
        ByteBuf badAddr = send(w -> w.attribute(AttributeType.XOR_PEER_ADDRESS, new byte[6]).attribute(AttributeType.DATA, new byte[1]));
        assertEquals(DecodeFailure.BAD_ATTRIBUTE, assertThrows(StunDecodeException.class, () -> view.parse(badAddr)).reason());
        badAddr.release();
        ByteBuf binding = Unpooled.buffer();
        StunMessageWriter.begin(binding, Method.BINDING, MessageClass.REQUEST, TransactionId.random()).finish();
        assertFalse(assertDoesNotThrowParse(view, binding));
        binding.release();
    }

    private static boolean assertDoesNotThrowParse(TurnIndication view, ByteBuf b) {
        try {
            return view.parse(b);
        } catch (StunDecodeException e) {
            throw new AssertionError(e);
        }
    }
}
