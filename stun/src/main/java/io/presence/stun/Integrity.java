package io.presence.stun;

import io.netty.buffer.ByteBuf;

import javax.crypto.Mac;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;

/**
 * HMAC computation for MESSAGE-INTEGRITY (HMAC-SHA1, RFC 8489 §14.5) and MESSAGE-INTEGRITY-SHA256
 * (§14.6). The HMAC covers the message up to the attribute, with the header's length field pretending the
 * message ends right after it.
 *
 * <p>{@link Mac} instances are kept per thread: ice4j calls {@code Mac.getInstance} for every message,
 * which walks the provider list and costs more than the HMAC itself.
 */
final class Integrity {
    private static final ThreadLocal<Mac> SHA1 = ThreadLocal.withInitial(() -> newMac(IntegrityKey.HMAC_SHA1));
    private static final ThreadLocal<Mac> SHA256 = ThreadLocal.withInitial(() -> newMac(IntegrityKey.HMAC_SHA256));

    private Integrity() {
    }

    private static Mac newMac(String algorithm) {
        try {
            return Mac.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is required of every JRE", e);
        }
    }

    static Mac mac(IntegrityKey key, boolean sha256) {
        Mac mac = sha256 ? SHA256.get() : SHA1.get();
        try {
            mac.init(key.spec(sha256 ? IntegrityKey.HMAC_SHA256 : IntegrityKey.HMAC_SHA1));
        } catch (InvalidKeyException e) {
            throw new IllegalArgumentException("unusable integrity key", e);
        }
        return mac;
    }

    /**
     * Verifies the integrity attribute whose header is at {@code attrIndex} in a decoded message.
     * Constant-time in the HMAC value.
     */
    static boolean verify(byte[] raw, int attrIndex, IntegrityKey key, boolean sha256) {
        int valueLength = ((raw[attrIndex + 2] & 0xFF) << 8) | (raw[attrIndex + 3] & 0xFF);
        int pretendLength = attrIndex + 4 + valueLength - StunMessage.HEADER_LENGTH;
        Mac mac = mac(key, sha256);
        mac.update(raw, 0, 2);
        mac.update((byte) (pretendLength >>> 8));
        mac.update((byte) pretendLength);
        mac.update(raw, 4, attrIndex - 4);
        byte[] hmac = mac.doFinal();
        // MESSAGE-INTEGRITY-SHA256 may be truncated to 16..32 bytes; the sender's prefix is compared.
        return valueLength <= hmac.length && ConstantTime.equals(hmac, 0, raw, attrIndex + 4, valueLength);
    }

    /**
     * Computes the HMAC over {@code out[start, end)} where the header at {@code start} already carries the
     * pretend length. Does not move the buffer's indices.
     */
    static byte[] compute(ByteBuf out, int start, int end, IntegrityKey key, boolean sha256) {
        Mac mac = mac(key, sha256);
        if (out.hasArray()) {
            mac.update(out.array(), out.arrayOffset() + start, end - start);
        } else {
            mac.update(out.nioBuffer(start, end - start));
        }
        return mac.doFinal();
    }
}
