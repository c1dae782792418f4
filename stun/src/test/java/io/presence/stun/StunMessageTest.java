package io.presence.stun;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.presence.stun.attr.ChannelNumber;
import io.presence.stun.attr.ErrorCode;
import io.presence.stun.attr.Lifetime;
import io.presence.stun.attr.RequestedTransport;
import io.presence.stun.attr.UnknownAttributes;
import io.presence.stun.attr.XorAddress;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StunMessageTest {
    static final IntegrityKey KEY = IntegrityKey.longTerm("alice", "presence", "secret");

    static byte[] write(int method, MessageClass cls, TransactionId tid, Consumer<StunMessageWriter> body) {
        ByteBuf out = Unpooled.buffer();
        StunMessageWriter w = StunMessageWriter.begin(out, method, cls, tid);
        body.accept(w);
        w.finish();
        byte[] b = new byte[out.readableBytes()];
        out.readBytes(b);
        out.release();
        return b;
    }

    static StunMessage decode(byte[] b) throws StunDecodeException {
        return StunMessage.decode(b, 0, b.length);
    }

    static DecodeFailure failure(byte[] b) {
        return assertThrows(StunDecodeException.class, () -> decode(b)).reason();
    }

    @Test
    void messageTypeBits() {
        assertEquals(0x0001, Method.messageType(Method.BINDING, MessageClass.REQUEST));
        assertEquals(0x0101, Method.messageType(Method.BINDING, MessageClass.SUCCESS_RESPONSE));
        assertEquals(0x0003, Method.messageType(Method.ALLOCATE, MessageClass.REQUEST));
        assertEquals(0x0103, Method.messageType(Method.ALLOCATE, MessageClass.SUCCESS_RESPONSE));
        assertEquals(0x0113, Method.messageType(Method.ALLOCATE, MessageClass.ERROR_RESPONSE));
        assertEquals(0x0016, Method.SEND_INDICATION_TYPE);
        assertEquals(0x0017, Method.DATA_INDICATION_TYPE);
        assertEquals(0x3FFF, Method.messageType(0xFFF, MessageClass.ERROR_RESPONSE));
        for (int m = 0; m <= Method.MAX; m++) {
            for (MessageClass c : MessageClass.values()) {
                int t = Method.messageType(m, c);
                assertEquals(m, Method.ofType(t));
                assertEquals(c, MessageClass.ofType(t));
            }
        }
        assertThrows(IllegalArgumentException.class, () -> Method.messageType(0x1000, MessageClass.REQUEST));
    }

    @Test
    void allocateSuccessRoundTripWithBothIntegritiesAndFingerprint() throws Exception {
        TransactionId tid = TransactionId.random();
        InetSocketAddress relayed = new InetSocketAddress("203.0.113.5", 49152);
        InetSocketAddress mapped = new InetSocketAddress("2001:db8::7", 61000);
        byte[] b = write(Method.ALLOCATE, MessageClass.SUCCESS_RESPONSE, tid, w -> {
            w.xorAddress(AttributeType.XOR_RELAYED_ADDRESS, relayed)
                    .xorAddress(AttributeType.XOR_MAPPED_ADDRESS, mapped);
            Lifetime.write(w, 600);
            w.messageIntegrity(KEY).messageIntegritySha256(KEY).fingerprint();
        });
        StunMessage m = decode(b);
        assertTrue(m.is(Method.ALLOCATE, MessageClass.SUCCESS_RESPONSE));
        assertEquals(tid, m.transactionId());
        assertEquals(relayed, XorAddress.decode(m.first(AttributeType.XOR_RELAYED_ADDRESS)));
        assertEquals(mapped, XorAddress.decode(m.first(AttributeType.XOR_MAPPED_ADDRESS)));
        assertEquals(600, Lifetime.decode(m.first(AttributeType.LIFETIME)));
        assertTrue(m.hasMessageIntegrity() && m.hasMessageIntegritySha256() && m.hasFingerprint());
        assertTrue(m.verifyIntegrity(KEY), "SHA-256");
        assertTrue(m.verifyIntegritySha1(KEY), "SHA-1");
        IntegrityKey other = IntegrityKey.longTerm("alice", "presence", "Secret");
        assertFalse(m.verifyIntegrity(other));
        assertFalse(m.verifyIntegritySha1(other));
        assertEquals(b.length, m.size());
    }

    @Test
    void sha256LongTermKeyDiffersFromMd5AndVerifies() throws Exception {
        IntegrityKey sha = IntegrityKey.longTermSha256("alice", "presence", "secret");
        assertEquals(32, sha.bytes().length);
        assertEquals(16, KEY.bytes().length);
        byte[] b = write(Method.REFRESH, MessageClass.REQUEST, TransactionId.random(),
                w -> w.string(AttributeType.USERNAME, "alice").messageIntegritySha256(sha));
        assertTrue(decode(b).verifyIntegrity(sha));
        assertFalse(decode(b).verifyIntegrity(KEY));
        assertFalse(decode(b).verifyIntegritySha1(sha), "no MESSAGE-INTEGRITY");
    }

    @Test
    void messageWithoutIntegrityNeverVerifies() throws Exception {
        byte[] b = write(Method.BINDING, MessageClass.REQUEST, TransactionId.random(), w -> { });
        assertFalse(decode(b).verifyIntegrity(KEY));
    }

    @Test
    void attributesAfterIntegrityAreIgnoredAndNothingFollowsFingerprint() throws Exception {
        byte[] signed = write(Method.ALLOCATE, MessageClass.REQUEST, TransactionId.random(), w -> {
            RequestedTransport.write(w, RequestedTransport.UDP);
            w.messageIntegrity(KEY);
        });
        byte[] extended = append(signed, Hex.bytes("0013 0004 01020304"));
        StunMessage m = decode(extended);
        assertNull(m.first(AttributeType.DATA), "DATA after MESSAGE-INTEGRITY is not covered and is ignored");
        assertTrue(m.verifyIntegrity(KEY));

        byte[] fp = write(Method.BINDING, MessageClass.REQUEST, TransactionId.random(), StunMessageWriter::fingerprint);
        assertEquals(DecodeFailure.FINGERPRINT_NOT_LAST, failure(append(fp, Hex.bytes("8022 0000"))));
    }

    static byte[] append(byte[] msg, byte[] attr) {
        byte[] b = new byte[msg.length + attr.length];
        System.arraycopy(msg, 0, b, 0, msg.length);
        System.arraycopy(attr, 0, b, msg.length, attr.length);
        int len = b.length - 20;
        b[2] = (byte) (len >>> 8);
        b[3] = (byte) len;
        return b;
    }

    @Test
    void everyFailureHasItsReason() {
        byte[] ok = write(Method.BINDING, MessageClass.REQUEST, TransactionId.random(),
                w -> w.string(AttributeType.SOFTWARE, "abc"));
        assertEquals(DecodeFailure.TRUNCATED, failure(new byte[0]));
        assertEquals(DecodeFailure.TRUNCATED, failure(java.util.Arrays.copyOf(ok, 19)));
        assertEquals(DecodeFailure.TRUNCATED, failure(java.util.Arrays.copyOf(ok, ok.length - 4)));
        assertEquals(DecodeFailure.NOT_STUN, failure(new byte[] {(byte) 0x80}));
        byte[] b = ok.clone();
        b[0] |= (byte) 0xC0;
        assertEquals(DecodeFailure.NOT_STUN, failure(b));
        b = ok.clone();
        b[4] ^= 1;
        assertEquals(DecodeFailure.BAD_MAGIC_COOKIE, failure(b));
        b = ok.clone();
        b[3] += 2;
        assertEquals(DecodeFailure.BAD_LENGTH, failure(b));
        assertEquals(DecodeFailure.BAD_LENGTH, failure(java.util.Arrays.copyOf(ok, ok.length + 4)), "trailing bytes");
        b = ok.clone();
        b[23] = 9; // SOFTWARE length 3 -> 9 runs past the end
        assertEquals(DecodeFailure.ATTRIBUTE_OVERRUN, failure(b));
        assertEquals(DecodeFailure.BAD_ATTRIBUTE, failure(write(Method.BINDING, MessageClass.REQUEST,
                TransactionId.random(), w -> w.attribute(AttributeType.XOR_MAPPED_ADDRESS, new byte[] {0, 1, 0, 0}))));
        assertEquals(DecodeFailure.BAD_ATTRIBUTE, failure(write(Method.BINDING, MessageClass.REQUEST,
                TransactionId.random(), w -> w.attribute(AttributeType.XOR_PEER_ADDRESS, new byte[20]))), "family 0");
        assertEquals(DecodeFailure.BAD_ATTRIBUTE, failure(write(Method.BINDING, MessageClass.REQUEST,
                TransactionId.random(), w -> w.attribute(AttributeType.MESSAGE_INTEGRITY, new byte[19]))));
        assertEquals(DecodeFailure.BAD_ATTRIBUTE, failure(write(Method.BINDING, MessageClass.ERROR_RESPONSE,
                TransactionId.random(), w -> w.attribute(AttributeType.ERROR_CODE, new byte[] {0, 0, 7, 0}))));
        assertEquals(DecodeFailure.BAD_ATTRIBUTE, failure(write(Method.BINDING, MessageClass.REQUEST,
                TransactionId.random(), w -> w.attribute(AttributeType.USERNAME, new byte[514]))));
        assertEquals(DecodeFailure.TOO_MANY_ATTRIBUTES, failure(write(Method.BINDING, MessageClass.REQUEST,
                TransactionId.random(), w -> {
                    for (int i = 0; i <= StunMessage.MAX_ATTRIBUTES; i++) {
                        w.flag(0x8050);
                    }
                })));
        byte[] fp = write(Method.BINDING, MessageClass.REQUEST, TransactionId.random(), StunMessageWriter::fingerprint);
        fp[fp.length - 1] ^= 1;
        assertEquals(DecodeFailure.BAD_FINGERPRINT, failure(fp));
    }

    @Test
    void byteBufDecodeLeavesIndicesAndOwnership() throws Exception {
        ByteBuf buf = Unpooled.directBuffer();
        buf.writeBytes(Rfc5769Test.REQUEST);
        StunMessage m = StunMessage.decode(buf);
        assertEquals(0, buf.readerIndex());
        assertEquals(1, buf.refCnt());
        assertTrue(buf.release());
        assertEquals("evtj:h6vY", m.first(AttributeType.USERNAME).utf8(), "the message owns its bytes");
    }

    @Test
    void errorResponseAttributes() throws Exception {
        byte[] b = write(Method.ALLOCATE, MessageClass.ERROR_RESPONSE, TransactionId.random(),
                w -> w.errorCode(ErrorCode.UNKNOWN_ATTRIBUTE, null).unknownAttributes(0x0031, 0x7FFF, 0x0042));
        StunMessage m = decode(b);
        assertEquals(new ErrorCode(420, ""), ErrorCode.decode(m.first(AttributeType.ERROR_CODE)));
        assertArrayEquals(new int[] {0x31, 0x7FFF, 0x42}, UnknownAttributes.decode(m.first(AttributeType.UNKNOWN_ATTRIBUTES)));
        assertEquals(20 + 8 + 4 + 8, b.length, "no phrase; 6 bytes padded to 8");
        byte[] phrase = write(Method.ALLOCATE, MessageClass.ERROR_RESPONSE, TransactionId.random(),
                w -> w.errorCode(438, "Stale Nonce"));
        assertEquals(new ErrorCode(438, "Stale Nonce"), ErrorCode.decode(decode(phrase).first(AttributeType.ERROR_CODE)));
        assertThrows(IllegalArgumentException.class, () -> write(Method.ALLOCATE, MessageClass.ERROR_RESPONSE,
                TransactionId.random(), w -> w.errorCode(200, null)));
    }

    @Test
    void passwordAlgorithms() throws Exception {
        byte[] b = write(Method.ALLOCATE, MessageClass.ERROR_RESPONSE, TransactionId.random(), w -> {
            w.errorCode(ErrorCode.UNAUTHENTICATED, null);
            io.presence.stun.attr.PasswordAlgorithm.writeList(w, io.presence.stun.attr.PasswordAlgorithm.SHA256,
                    io.presence.stun.attr.PasswordAlgorithm.MD5);
            io.presence.stun.attr.PasswordAlgorithm.write(w, io.presence.stun.attr.PasswordAlgorithm.SHA256);
        });
        StunMessage m = decode(b);
        assertArrayEquals(new int[] {2, 1}, io.presence.stun.attr.PasswordAlgorithm.decodeList(m.first(AttributeType.PASSWORD_ALGORITHMS)));
        assertEquals(2, io.presence.stun.attr.PasswordAlgorithm.decode(m.first(AttributeType.PASSWORD_ALGORITHM)));
        assertEquals(DecodeFailure.BAD_ATTRIBUTE, failure(write(Method.ALLOCATE, MessageClass.REQUEST, TransactionId.random(),
                w -> w.attribute(AttributeType.PASSWORD_ALGORITHM, new byte[] {0, 2, 0, 8}))), "parameters past the end");
    }

    @Test
    void channelNumberAndFlags() throws Exception {
        byte[] b = write(Method.CHANNEL_BIND, MessageClass.REQUEST, TransactionId.random(), w -> {
            ChannelNumber.write(w, 0x4001);
            w.flag(AttributeType.DONT_FRAGMENT);
        });
        StunMessage m = decode(b);
        assertEquals(0x4001, ChannelNumber.decode(m.first(AttributeType.CHANNEL_NUMBER)));
        assertEquals(0, m.first(AttributeType.DONT_FRAGMENT).length());
    }

    @Test
    void writerRefusesAttributesAfterIntegrityAndOverlongMessages() {
        ByteBuf out = Unpooled.buffer();
        StunMessageWriter w = StunMessageWriter.begin(out, Method.BINDING, MessageClass.REQUEST, TransactionId.random())
                .messageIntegrity(KEY);
        assertThrows(IllegalStateException.class, () -> w.flag(AttributeType.DONT_FRAGMENT));
        w.fingerprint();
        assertThrows(IllegalStateException.class, w::fingerprint);
        out.clear();
        StunMessageWriter big = StunMessageWriter.begin(out, Method.SEND, MessageClass.INDICATION, TransactionId.random())
                .attribute(AttributeType.DATA, new byte[65_000]);
        big.attribute(AttributeType.DATA, new byte[1_000]);
        assertThrows(IllegalStateException.class, big::finish, "16-bit length field");
        out.release();
    }

    @Test
    void opaqueStringMapsSpacesAndNormalises() {
        assertEquals("a b", OpaqueString.prepare("a\u00A0b"));
        assertEquals("\u00E9", OpaqueString.prepare("e\u0301"));
        assertEquals("TheMatrIX", OpaqueString.prepare("TheMatrIX"));
        assertEquals(IntegrityKey.shortTerm("e\u0301").bytes().length, 2, "NFC é is 2 UTF-8 bytes");
    }

    @Test
    void transactionIdValue() {
        byte[] b = Hex.bytes("b7e7a701bc34d686fa87dfae");
        TransactionId a = TransactionId.of(b);
        b[0] = 0;
        assertEquals("b7e7a701bc34d686fa87dfae", a.toString(), "copied");
        assertEquals(a, TransactionId.of(Hex.bytes("b7e7a701bc34d686fa87dfae")));
        assertEquals(a.hashCode(), TransactionId.of(Hex.bytes("b7e7a701bc34d686fa87dfae")).hashCode());
        assertThrows(IllegalArgumentException.class, () -> TransactionId.of(new byte[11]));
    }
}
