package io.presence.stun;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.presence.stun.attr.AddressFamily;
import io.presence.stun.attr.EvenPort;
import io.presence.stun.attr.XorAddress;
import org.ice4j.StunException;
import org.ice4j.attribute.Attribute;
import org.ice4j.attribute.AttributeFactory;
import org.ice4j.message.Message;
import org.ice4j.message.MessageFactory;
import org.ice4j.message.Request;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One test per ice4j defect this codec avoids (stun/README.md, "ice4j and its defects"). Each test first shows ice4j still has the defect
 * (so the test would catch a codec that inherited it), then asserts this module's behaviour.
 */
class Ice4jDefectsTest {

    @BeforeAll
    static void ice4jWithoutSoftware() {
        Ice4jDefaults.disableSoftware();
    }

    static byte[] write(int method, MessageClass cls, Consumer<StunMessageWriter> body) {
        ByteBuf out = Unpooled.buffer();
        StunMessageWriter w = StunMessageWriter.begin(out, method, cls, TransactionId.random());
        body.accept(w);
        w.finish();
        byte[] b = new byte[out.readableBytes()];
        out.readBytes(b);
        out.release();
        return b;
    }

    @Test
    void repeatedAttributesAreAllKept() throws Exception {
        List<InetSocketAddress> peers = List.of(new InetSocketAddress("192.0.2.10", 1000),
                new InetSocketAddress("192.0.2.11", 2000), new InetSocketAddress("2001:db8::1", 3000));
        byte[] b = write(Method.CREATE_PERMISSION, MessageClass.REQUEST,
                w -> peers.forEach(p -> w.xorAddress(AttributeType.XOR_PEER_ADDRESS, p)));

        Message ice4j = Message.decode(b, 0, b.length);
        assertEquals(1, ice4j.getAttributes().stream()
                .filter(a -> a.getAttributeType() == Attribute.XOR_PEER_ADDRESS).count(), "ice4j collapses them");

        StunMessage m = StunMessage.decode(b, 0, b.length);
        assertEquals(peers, m.all(AttributeType.XOR_PEER_ADDRESS).stream().map(XorAddress::decode).toList());
        assertEquals(peers.get(0), XorAddress.decode(m.first(AttributeType.XOR_PEER_ADDRESS)));
    }

    @Test
    void evenPortReserveFlagAndOneByteForm() throws Exception {
        byte[] ice4jEncoded = AttributeFactory.createEvenPortAttribute(true).encode();
        assertEquals(0, ice4jEncoded[4] & 0x80, "ice4j drops the R flag");

        byte[] b = write(Method.ALLOCATE, MessageClass.REQUEST, w -> EvenPort.write(w, true));
        assertEquals("00180001" + "80000000", Hex.of(Arrays.copyOfRange(b, 20, 28)), "RFC 8656 §18.6 form");
        assertThrows(StunException.class, () -> Message.decode(b, 0, b.length), "ice4j rejects the RFC form");

        StunMessage m = StunMessage.decode(b, 0, b.length);
        assertTrue(EvenPort.reserveNext(m.first(AttributeType.EVEN_PORT)));
        byte[] off = write(Method.ALLOCATE, MessageClass.REQUEST, w -> EvenPort.write(w, false));
        assertFalse(EvenPort.reserveNext(StunMessage.decode(off, 0, off.length).first(AttributeType.EVEN_PORT)));
        // ice4j's 4-byte form is still read.
        byte[] legacy = write(Method.ALLOCATE, MessageClass.REQUEST,
                w -> w.attribute(AttributeType.EVEN_PORT, new byte[] {(byte) 0x80, 0, 0, 0}));
        assertTrue(EvenPort.reserveNext(StunMessage.decode(legacy, 0, legacy.length).first(AttributeType.EVEN_PORT)));
    }

    @Test
    void requestedAddressFamilyHasLengthFour() throws Exception {
        byte[] ice4jEncoded = AttributeFactory.createRequestedAddressFamilyAttribute((char) 0x02).encode();
        assertEquals(1, ((ice4jEncoded[2] & 0xFF) << 8) | (ice4jEncoded[3] & 0xFF), "ice4j writes length 1");

        byte[] b = write(Method.ALLOCATE, MessageClass.REQUEST, w -> AddressFamily.writeRequested(w, AddressFamily.IPV6));
        assertEquals("00170004" + "02000000", Hex.of(Arrays.copyOfRange(b, 20, 28)));
        StunMessage m = StunMessage.decode(b, 0, b.length);
        assertEquals(AddressFamily.IPV6, AddressFamily.decode(m.first(AttributeType.REQUESTED_ADDRESS_FAMILY)));

        byte[] ice4jForm = write(Method.ALLOCATE, MessageClass.REQUEST,
                w -> w.attribute(AttributeType.REQUESTED_ADDRESS_FAMILY, new byte[] {2}));
        StunDecodeException e = assertThrows(StunDecodeException.class,
                () -> StunMessage.decode(ice4jForm, 0, ice4jForm.length));
        assertEquals(DecodeFailure.BAD_ATTRIBUTE, e.reason());
    }

    @Test
    void decodeAtNonZeroOffset() throws Exception {
        byte[] msg = Rfc5769Test.IPV4_RESPONSE;
        byte[] shifted = new byte[msg.length + 4];
        System.arraycopy(msg, 0, shifted, 4, msg.length);
        boolean ice4jRight;
        try {
            Message ice4j = Message.decode(shifted, 4, msg.length);
            ice4jRight = ice4j.getMessageType() == 0x0101 && ice4j.getAttributeCount() == 4;
        } catch (StunException | RuntimeException e) {
            ice4jRight = false;
        }
        assertFalse(ice4jRight, "ice4j mis-decodes at offset 4");

        StunMessage m = StunMessage.decode(shifted, 4, msg.length);
        assertEquals(0x0101, m.messageType());
        assertEquals(4, m.attributes().size());
        assertArrayEquals(msg, m.toBytes());
    }

    @Test
    void everyMessageHasATransactionId() throws Exception {
        Request ice4j = MessageFactory.createAllocateRequest();
        assertNull(ice4j.getTransactionID(), "ice4j leaves it unset");
        assertThrows(NullPointerException.class, () -> ice4j.encode(null));

        assertThrows(NullPointerException.class,
                () -> StunMessageWriter.begin(Unpooled.buffer(), Method.ALLOCATE, MessageClass.REQUEST, null));
        byte[] a = write(Method.ALLOCATE, MessageClass.REQUEST, w -> { });
        byte[] b = write(Method.ALLOCATE, MessageClass.REQUEST, w -> { });
        TransactionId ta = StunMessage.decode(a, 0, a.length).transactionId();
        assertNotEquals(ta, StunMessage.decode(b, 0, b.length).transactionId());

        StunMessage request = StunMessage.decode(a, 0, a.length);
        ByteBuf out = Unpooled.buffer();
        StunMessageWriter.response(out, request, true).finish();
        assertEquals(request.transactionId(), StunMessage.decode(out).transactionId());
        out.release();
    }

    @Test
    void mutatedInputGivesTypedErrors() {
        // An attribute whose length runs past the end: ice4j throws an unchecked exception for some of these.
        byte[] good = Rfc5769Test.REQUEST;
        int uncheckedInIce4j = 0;
        for (int i = 20; i < good.length; i++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] b = good.clone();
                b[i] ^= (byte) (1 << bit);
                try {
                    Message.decode(b, 0, b.length);
                } catch (StunException e) {
                    // ice4j's typed error
                } catch (RuntimeException e) {
                    uncheckedInIce4j++;
                }
                try {
                    StunMessage.decode(b, 0, b.length);
                } catch (StunDecodeException e) {
                    // ours
                }
            }
        }
        assertTrue(uncheckedInIce4j > 0, "ice4j throws unchecked exceptions on mutated input");
    }

    @Test
    void messageIntegrityIsVerified() throws Exception {
        byte[] tampered = Rfc5769Test.REQUEST.clone();
        tampered[44 + 2] ^= 0x01; // PRIORITY value, covered by the HMAC; FINGERPRINT fixed below
        fixFingerprint(tampered);
        Message ice4j = Message.decode(tampered, 0, tampered.length);
        assertTrue(ice4j.containsAttribute(Attribute.MESSAGE_INTEGRITY), "ice4j accepts it without a word");

        StunMessage m = StunMessage.decode(tampered, 0, tampered.length);
        assertFalse(m.verifyIntegrity(IntegrityKey.shortTerm(Rfc5769Test.SHORT_TERM_PASSWORD)));
        StunMessage intact = StunMessage.decode(Rfc5769Test.REQUEST, 0, Rfc5769Test.REQUEST.length);
        assertTrue(intact.verifyIntegrity(IntegrityKey.shortTerm(Rfc5769Test.SHORT_TERM_PASSWORD)));
    }

    static void fixFingerprint(byte[] b) {
        int fp = b.length - 8;
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(b, 0, fp);
        int v = (int) crc.getValue() ^ 0x5354554E;
        b[fp + 4] = (byte) (v >>> 24);
        b[fp + 5] = (byte) (v >>> 16);
        b[fp + 6] = (byte) (v >>> 8);
        b[fp + 7] = (byte) v;
    }

    @Test
    void unknownComprehensionRequiredAttributesAreReported() throws Exception {
        byte[] b = write(Method.BINDING, MessageClass.REQUEST, w -> w
                .u32(0x0031, 7)            // unknown, comprehension-required
                .u32(0x8077, 7)            // unknown, comprehension-optional: fine
                .u32(0x7FFF, 7));          // unknown, comprehension-required
        Message ice4j = Message.decode(b, 0, b.length); // no complaint, nothing to build a 420 from
        assertTrue(ice4j.getAttributeCount() >= 0);

        StunMessage m = StunMessage.decode(b, 0, b.length);
        assertArrayEquals(new int[] {0x0031, 0x7FFF}, m.unknownComprehensionRequired());
        assertTrue(m.hasUnknownComprehensionRequired());
        // The server's 420 is asserted in StunServerTest and StunDispatcherTest.
    }

    /**
     * Timing is noise on a shared machine, so this checks the property itself: after the first differing
     * byte, an early-exit comparison (ice4j's {@code Arrays.equals}) stops reading, a constant-time one reads
     * on to the end. The second array is cut short after its first byte: only a comparison that keeps
     * reading reaches past it.
     */
    @Test
    void hmacComparisonReadsEveryByteWhereverTheDifferenceIs() {
        byte[] mac = new byte[20];
        byte[] forgedFirstByteWrong = {1};
        assertFalse(earlyExitEquals(mac, forgedFirstByteWrong, 20),
                "an early-exit comparison decides at the first byte: the test discriminates");
        assertThrows(ArrayIndexOutOfBoundsException.class,
                () -> ConstantTime.equals(mac, 0, forgedFirstByteWrong, 0, 20),
                "ConstantTime.equals must keep reading after a difference");
        byte[] other = new byte[20];
        for (int i = 0; i < 20; i++) {
            other[i] = 1;
            assertFalse(ConstantTime.equals(mac, 0, other, 0, 20), "difference at " + i);
            other[i] = 0;
        }
        assertTrue(ConstantTime.equals(mac, 0, other, 0, 20));
    }

    /** What {@code Arrays.equals} does after its length check: return at the first difference. */
    private static boolean earlyExitEquals(byte[] a, byte[] b, int length) {
        for (int i = 0; i < length; i++) {
            if (a[i] != b[i]) {
                return false;
            }
        }
        return true;
    }

    @Test
    void softwareIsOffInIce4j() throws Exception {
        Request ice4j = MessageFactory.createBindingRequest();
        ice4j.setTransactionID(TransactionId.random().bytes());
        byte[] b = ice4j.encode(null);
        StunMessage m = StunMessage.decode(b, 0, b.length);
        assertFalse(m.has(AttributeType.SOFTWARE), "ice4j.software is empty");
        assertEquals("", System.getProperty(Ice4jDefaults.SOFTWARE_PROPERTY));
    }
}
