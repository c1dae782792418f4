package io.presence.stun;

import io.netty.buffer.ByteBuf;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The 96-bit transaction id of a STUN message. Immutable; equal ids compare equal, so it can key a map of
 * outstanding transactions.
 *
 * <p>ice4j's message factories leave the id unset (its encoder then fails with a NullPointerException);
 * here every message is written with an explicit id: {@link #random()} for new requests and indications,
 * the request's id for responses.
 */
public final class TransactionId {
    public static final int LENGTH = 12;

    // SecureRandom because RFC 8489 §6 asks for ids that an off-path attacker cannot guess: a guessed id
    // lets a spoofed response be accepted.
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] bytes;
    private final int hash;

    private TransactionId(byte[] bytes) {
        this.bytes = bytes;
        this.hash = Arrays.hashCode(bytes);
    }

    /** A fresh, cryptographically random id. */
    public static TransactionId random() {
        byte[] b = new byte[LENGTH];
        RANDOM.nextBytes(b);
        return new TransactionId(b);
    }

    /** Copies the 12 bytes. */
    public static TransactionId of(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("a transaction id has 12 bytes, not " + bytes.length);
        }
        return new TransactionId(bytes.clone());
    }

    /** Reads 12 bytes at {@code index} without moving the buffer's indices. */
    public static TransactionId read(ByteBuf buf, int index) {
        byte[] b = new byte[LENGTH];
        buf.getBytes(index, b);
        return new TransactionId(b);
    }

    static TransactionId wrap(byte[] bytes) {
        return new TransactionId(bytes);
    }

    public void writeTo(ByteBuf out) {
        out.writeBytes(bytes);
    }

    /** A copy of the 12 bytes. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** Byte {@code i} (0–11) without copying. */
    public int byteAt(int i) {
        return bytes[i];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TransactionId t && Arrays.equals(bytes, t.bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return HexFormat.of().formatHex(bytes);
    }
}
