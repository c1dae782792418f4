package io.presence.stun;

import io.presence.stun.attr.ErrorCode;
import io.presence.stun.attr.Lifetime;
import io.presence.stun.attr.RequestedTransport;
import io.presence.stun.attr.XorAddress;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real exchange between Chrome and coturn 4.5.0.3, captured on the wire and published as a fixture in
 * pion/turn's server tests (and its Rust port webrtc-rs/turn): Chrome's first, unauthenticated Allocate,
 * coturn's 401, Chrome's authenticated retry and coturn's success. Chrome of that era sent ORIGIN
 * (0x802F, comprehension-optional, unknown to us); newer ones add GOOG-NETWORK-INFO (0xC057), also
 * optional. The password is not published, so integrity is checked only to fail with a wrong one.
 */
class ChromeAllocateTest {
    static final byte[] ALLOCATE = Hex.bytes(
            "000300242112a442626b4a6849664c3630526863802f0016687474703a2f2f6c6f63616c686f73743a333030302f00000019000411000000");
    static final byte[] UNAUTHORIZED = Hex.bytes(
            "011300582112a442626b4a6849664c36305268630009001000000401556e617574686f72697a656400150010356130323039623563"
                    + "623830363130360014000b61312e63796465762e7275758022001a436f7475726e2d342e352e302e33202764616e20456964"
                    + "6572272300");
    static final byte[] AUTHENTICATED_ALLOCATE = Hex.bytes(
            "0003006c2112a442324e50695a437a4634535034802f0016687474703a2f2f6c6f63616c686f73743a333030302f0000001900"
                    + "04110000000006000665726e61646f00000014000b61312e63796465762e7275000015001035613032303962356362383036"
                    + "313036000800145c8743f3b64bec0880cdd8d476d37b801a6c3d33");
    static final byte[] SUCCESS = Hex.bytes(
            "010300582112a442324e50695a437a4634535034001600080001fb922b1ab211002000080001adb2f49f38ae000d000400000258"
                    + "8022001a436f7475726e2d342e352e302e33202764616e204569646572277475000800145d7e85b767a519ffce91dbf0a967"
                    + "75e370db92e3");

    static StunMessage decode(byte[] b) throws StunDecodeException {
        return StunMessage.decode(b, 0, b.length);
    }

    @Test
    void firstAllocate() throws Exception {
        StunMessage m = decode(ALLOCATE);
        assertTrue(m.is(Method.ALLOCATE, MessageClass.REQUEST));
        assertEquals(RequestedTransport.UDP, RequestedTransport.decode(m.first(AttributeType.REQUESTED_TRANSPORT)));
        assertEquals("http://localhost:3000/", m.first(0x802F).utf8());
        assertFalse(m.hasMessageIntegrity());
        assertEquals(0, m.unknownComprehensionRequired().length, "ORIGIN is comprehension-optional");
    }

    @Test
    void unauthorizedAnswer() throws Exception {
        StunMessage m = decode(UNAUTHORIZED);
        assertTrue(m.is(Method.ALLOCATE, MessageClass.ERROR_RESPONSE));
        assertEquals(new ErrorCode(401, "Unauthorized"), ErrorCode.decode(m.first(AttributeType.ERROR_CODE)));
        assertEquals("a1.cydev.ru", m.first(AttributeType.REALM).utf8());
        assertEquals("5a0209b5cb806106", m.first(AttributeType.NONCE).utf8());
        assertTrue(m.first(AttributeType.SOFTWARE).utf8().startsWith("Coturn-4.5.0.3"), "non-zero padding is tolerated");
        assertEquals(ALLOCATE.length, 56);
        assertEquals(UNAUTHORIZED.length, 108, "coturn answers 56 bytes with 108");
    }

    @Test
    void authenticatedAllocate() throws Exception {
        StunMessage m = decode(AUTHENTICATED_ALLOCATE);
        assertEquals("ernado", m.first(AttributeType.USERNAME).utf8());
        assertEquals("a1.cydev.ru", m.first(AttributeType.REALM).utf8());
        assertEquals("5a0209b5cb806106", m.first(AttributeType.NONCE).utf8());
        assertTrue(m.hasMessageIntegrity());
        assertFalse(m.verifyIntegrity(IntegrityKey.longTerm("ernado", "a1.cydev.ru", "not-the-password")));
    }

    @Test
    void successResponse() throws Exception {
        StunMessage m = decode(SUCCESS);
        assertTrue(m.is(Method.ALLOCATE, MessageClass.SUCCESS_RESPONSE));
        InetSocketAddress relayed = XorAddress.decode(m.first(AttributeType.XOR_RELAYED_ADDRESS));
        InetSocketAddress mapped = XorAddress.decode(m.first(AttributeType.XOR_MAPPED_ADDRESS));
        assertEquals(0xfb92 ^ 0x2112, relayed.getPort());
        assertEquals(0xadb2 ^ 0x2112, mapped.getPort());
        assertEquals(600, Lifetime.decode(m.first(AttributeType.LIFETIME)));
    }
}
