package io.presence.stun;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.presence.stun.attr.XorAddress;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The test vectors of RFC 5769 ("Test Vectors for STUN", April 2010), transcribed from the RFC's hex dumps.
 * §2.1–2.3 use the short-term password below; §2.4 a long-term credential.
 */
class Rfc5769Test {
    static final String SHORT_TERM_PASSWORD = "VOkJxbRl1RmTxUk/WvJxBt";

    /** §2.1 Sample Request: SOFTWARE, PRIORITY, ICE-CONTROLLED, USERNAME, MESSAGE-INTEGRITY, FINGERPRINT. */
    static final byte[] REQUEST = Hex.bytes("""
            00 01 00 58 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
            80 22 00 10 53 54 55 4e 20 74 65 73 74 20 63 6c 69 65 6e 74
            00 24 00 04 6e 00 01 ff
            80 29 00 08 93 2f f9 b1 51 26 3b 36
            00 06 00 09 65 76 74 6a 3a 68 36 76 59 20 20 20
            00 08 00 14 9a ea a7 0c bf d8 cb 56 78 1e f2 b5 b2 d3 f2 49 c1 b5 71 a2
            80 28 00 04 e5 7a 3b cf""");

    /** §2.2 Sample IPv4 Response: XOR-MAPPED-ADDRESS 192.0.2.1:32853. */
    static final byte[] IPV4_RESPONSE = Hex.bytes("""
            01 01 00 3c 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
            80 22 00 0b 74 65 73 74 20 76 65 63 74 6f 72 20
            00 20 00 08 00 01 a1 47 e1 12 a6 43
            00 08 00 14 2b 91 f5 99 fd 9e 90 c3 8c 74 89 f9 2a f9 ba 53 f0 6b e7 d7
            80 28 00 04 c0 7d 4c 96""");

    /** §2.3 Sample IPv6 Response: XOR-MAPPED-ADDRESS [2001:db8:1234:5678:11:2233:4455:6677]:32853. */
    static final byte[] IPV6_RESPONSE = Hex.bytes("""
            01 01 00 48 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
            80 22 00 0b 74 65 73 74 20 76 65 63 74 6f 72 20
            00 20 00 14 00 02 a1 47 01 13 a9 fa a5 d3 f1 79 bc 25 f4 b5 be d2 b9 d9
            00 08 00 14 a3 82 95 4e 4b e6 7b f1 17 84 c9 7c 82 92 c2 75 bf e3 ed 41
            80 28 00 04 c8 fb 0b 4c""");

    /** §2.4 Sample Request with Long-Term Authentication: USERNAME "マトリックス", NONCE, REALM "example.org". */
    static final byte[] LONG_TERM_REQUEST = Hex.bytes("""
            00 01 00 60 21 12 a4 42 78 ad 34 33 c6 ad 72 c0 29 da 41 2e
            00 06 00 12 e3 83 9e e3 83 88 e3 83 aa e3 83 83 e3 82 af e3 82 b9 00 00
            00 15 00 1c 66 2f 2f 34 39 39 6b 39 35 34 64 36 4f 4c 33 34 6f 4c 39 46 53 54 76 79 36 34 73 41
            00 14 00 0b 65 78 61 6d 70 6c 65 2e 6f 72 67 00
            00 08 00 14 f6 70 24 65 6d d6 4a 3e 02 b8 e0 71 2e 85 c9 a2 8c a8 96 66""");

    static final String LONG_TERM_USER = "\u30DE\u30C8\u30EA\u30C3\u30AF\u30B9";
    static final String LONG_TERM_NONCE = "f//499k954d6OL34oL9FSTvy64sA";
    static final String LONG_TERM_REALM = "example.org";
    /** The RFC's password "TheMªtrⅨ" after SASLprep; OpaqueString (RFC 8489) does not map it. */
    static final String LONG_TERM_PASSWORD = "TheMatrIX";

    static StunMessage decode(byte[] b) throws StunDecodeException {
        ByteBuf buf = Unpooled.wrappedBuffer(b);
        try {
            return StunMessage.decode(buf);
        } finally {
            buf.release();
        }
    }

    @Test
    void sampleRequest() throws Exception {
        StunMessage m = decode(REQUEST);
        assertEquals(Method.BINDING, m.method());
        assertEquals(MessageClass.REQUEST, m.messageClass());
        assertEquals("b7e7a701bc34d686fa87dfae", m.transactionId().toString());
        assertEquals("STUN test client", m.first(AttributeType.SOFTWARE).utf8());
        assertEquals("evtj:h6vY", m.first(AttributeType.USERNAME).utf8());
        assertEquals(0x6e0001ffL, m.first(AttributeType.PRIORITY).u32(0));
        assertEquals(8, m.first(AttributeType.ICE_CONTROLLED).length());
        assertTrue(m.hasFingerprint());
        assertTrue(m.hasMessageIntegrity());
        assertTrue(m.verifyIntegrity(IntegrityKey.shortTerm(SHORT_TERM_PASSWORD)));
        assertFalse(m.verifyIntegrity(IntegrityKey.shortTerm(SHORT_TERM_PASSWORD + "x")));
        assertEquals(0, m.unknownComprehensionRequired().length, "PRIORITY is understood");
    }

    @Test
    void sampleIpv4Response() throws Exception {
        StunMessage m = decode(IPV4_RESPONSE);
        assertEquals(MessageClass.SUCCESS_RESPONSE, m.messageClass());
        assertEquals("test vector", m.first(AttributeType.SOFTWARE).utf8());
        assertEquals(new InetSocketAddress("192.0.2.1", 32853), XorAddress.decode(m.first(AttributeType.XOR_MAPPED_ADDRESS)));
        assertTrue(m.verifyIntegrity(IntegrityKey.shortTerm(SHORT_TERM_PASSWORD)));
        assertTrue(m.hasFingerprint());
    }

    @Test
    void sampleIpv6Response() throws Exception {
        StunMessage m = decode(IPV6_RESPONSE);
        assertEquals(new InetSocketAddress("2001:db8:1234:5678:11:2233:4455:6677", 32853),
                XorAddress.decode(m.first(AttributeType.XOR_MAPPED_ADDRESS)));
        assertTrue(m.verifyIntegrity(IntegrityKey.shortTerm(SHORT_TERM_PASSWORD)));
        assertTrue(m.hasFingerprint());
    }

    @Test
    void xorAddressesEncodeAsInTheVectors() {
        TransactionId tid = TransactionId.of(Hex.bytes("b7e7a701bc34d686fa87dfae"));
        ByteBuf out = Unpooled.buffer();
        StunMessageWriter.begin(out, Method.BINDING, MessageClass.SUCCESS_RESPONSE, tid)
                .xorAddress(AttributeType.XOR_MAPPED_ADDRESS, new InetSocketAddress("192.0.2.1", 32853))
                .xorAddress(AttributeType.XOR_MAPPED_ADDRESS,
                        new InetSocketAddress("2001:db8:1234:5678:11:2233:4455:6677", 32853))
                .finish();
        byte[] b = new byte[out.readableBytes()];
        out.readBytes(b);
        out.release();
        assertEquals("00200008" + "0001a147e112a643"
                + "00200014" + "0002a1470113a9faa5d3f179bc25f4b5bed2b9d9", Hex.of(b).substring(40));
    }

    @Test
    void longTermRequest() throws Exception {
        StunMessage m = decode(LONG_TERM_REQUEST);
        assertEquals(LONG_TERM_USER, m.first(AttributeType.USERNAME).utf8());
        assertEquals(LONG_TERM_NONCE, m.first(AttributeType.NONCE).utf8());
        assertEquals(LONG_TERM_REALM, m.first(AttributeType.REALM).utf8());
        assertFalse(m.hasFingerprint());
        IntegrityKey key = IntegrityKey.longTerm(LONG_TERM_USER, LONG_TERM_REALM, LONG_TERM_PASSWORD);
        assertTrue(m.verifyIntegrity(key));
        assertFalse(m.verifyIntegrity(IntegrityKey.longTerm(LONG_TERM_USER, LONG_TERM_REALM, "thematrix")),
                "OpaqueString does no case mapping");
    }

    @Test
    void longTermRequestReencodesByteForByte() throws Exception {
        StunMessage m = decode(LONG_TERM_REQUEST);
        IntegrityKey key = IntegrityKey.longTerm(LONG_TERM_USER, LONG_TERM_REALM, LONG_TERM_PASSWORD);
        ByteBuf out = Unpooled.buffer();
        int size = StunMessageWriter.begin(out, Method.BINDING, MessageClass.REQUEST, m.transactionId())
                .string(AttributeType.USERNAME, LONG_TERM_USER)
                .string(AttributeType.NONCE, LONG_TERM_NONCE)
                .string(AttributeType.REALM, LONG_TERM_REALM)
                .messageIntegrity(key)
                .finish();
        byte[] b = new byte[size];
        out.readBytes(b);
        out.release();
        assertArrayEquals(LONG_TERM_REQUEST, b);
    }

    @Test
    void vectorsDecodeAtAnyOffset() throws Exception {
        for (byte[] vector : new byte[][] {REQUEST, IPV4_RESPONSE, IPV6_RESPONSE, LONG_TERM_REQUEST}) {
            byte[] padded = new byte[vector.length + 13];
            System.arraycopy(vector, 0, padded, 7, vector.length);
            StunMessage m = StunMessage.decode(padded, 7, vector.length);
            assertArrayEquals(vector, m.toBytes());
            assertEquals(decode(vector).attributes().size(), m.attributes().size());
            ByteBuf slice = Unpooled.wrappedBuffer(padded).slice(7, vector.length);
            assertArrayEquals(vector, StunMessage.decode(slice).toBytes());
            assertEquals(1, slice.refCnt());
            slice.release();
        }
    }

    @Test
    void usernameUtf8() throws Exception {
        assertArrayEquals(LONG_TERM_USER.getBytes(StandardCharsets.UTF_8),
                decode(LONG_TERM_REQUEST).first(AttributeType.USERNAME).value());
    }
}
