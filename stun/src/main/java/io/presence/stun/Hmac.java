package io.presence.stun;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * HMAC (RFC 2104) with the key's inner and outer pad blocks absorbed once, when the key is made. Each HMAC
 * then clones two digest states instead of re-keying a {@code Mac}: two fewer compression rounds and no
 * key schedule per message. (ice4j calls {@code Mac.getInstance} per message, which costs more than the
 * HMAC.) Immutable prototypes: cloning an unmodified digest from several threads is safe.
 */
final class Hmac {
    private static final int BLOCK = 64;

    private final MessageDigest inner;
    private final MessageDigest outer;

    Hmac(String digest, byte[] key) {
        MessageDigest in = newDigest(digest);
        MessageDigest out = newDigest(digest);
        byte[] k = key.length > BLOCK ? newDigest(digest).digest(key) : key;
        byte[] ipad = new byte[BLOCK];
        byte[] opad = new byte[BLOCK];
        for (int i = 0; i < BLOCK; i++) {
            byte b = i < k.length ? k[i] : 0;
            ipad[i] = (byte) (b ^ 0x36);
            opad[i] = (byte) (b ^ 0x5C);
        }
        in.update(ipad);
        out.update(opad);
        this.inner = in;
        this.outer = out;
    }

    private static MessageDigest newDigest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is required of every JRE", e);
        }
    }

    /** A fresh inner digest, keyed; feed it the message, then call {@link #finish}. */
    MessageDigest start() {
        return copy(inner);
    }

    byte[] finish(MessageDigest started) {
        MessageDigest o = copy(outer);
        o.update(started.digest());
        return o.digest();
    }

    private static MessageDigest copy(MessageDigest d) {
        try {
            return (MessageDigest) d.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the JDK's digests are cloneable", e);
        }
    }
}
