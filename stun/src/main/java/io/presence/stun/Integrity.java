package io.presence.stun;

import io.netty.buffer.ByteBuf;

import java.security.MessageDigest;

/**
 * MESSAGE-INTEGRITY (HMAC-SHA1, RFC 8489 §14.5) and MESSAGE-INTEGRITY-SHA256 (§14.6). The HMAC covers the
 * message up to the attribute, with the header's length field pretending the message ends right after it.
 */
final class Integrity {
    private Integrity() {
    }

    /**
     * Verifies the integrity attribute whose header is at {@code attrIndex} in a decoded message.
     * Constant-time in the HMAC value.
     */
    static boolean verify(byte[] raw, int attrIndex, IntegrityKey key, boolean sha256) {
        int valueLength = ((raw[attrIndex + 2] & 0xFF) << 8) | (raw[attrIndex + 3] & 0xFF);
        int pretendLength = attrIndex + 4 + valueLength - StunMessage.HEADER_LENGTH;
        Hmac hmac = key.hmac(sha256);
        MessageDigest d = hmac.start();
        d.update(raw, 0, 2);
        d.update((byte) (pretendLength >>> 8));
        d.update((byte) pretendLength);
        d.update(raw, 4, attrIndex - 4);
        byte[] expected = hmac.finish(d);
        // MESSAGE-INTEGRITY-SHA256 may be truncated to 16..32 bytes; the sender's prefix is compared.
        return valueLength <= expected.length && ConstantTime.equals(expected, 0, raw, attrIndex + 4, valueLength);
    }

    /**
     * Computes the HMAC over {@code out[start, end)} where the header at {@code start} already carries the
     * pretend length. Does not move the buffer's indices.
     */
    static byte[] compute(ByteBuf out, int start, int end, IntegrityKey key, boolean sha256) {
        Hmac hmac = key.hmac(sha256);
        MessageDigest d = hmac.start();
        if (out.hasArray()) {
            d.update(out.array(), out.arrayOffset() + start, end - start);
        } else {
            d.update(out.nioBuffer(start, end - start));
        }
        return hmac.finish(d);
    }
}
