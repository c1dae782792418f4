package io.presence.stun;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.nio.charset.StandardCharsets;

/**
 * One attribute of a decoded {@link StunMessage}: its type and a view of its value inside the message's
 * bytes. Immutable; reading a value never copies unless the method says so. Typed readers for the
 * attributes with structure live in {@code io.presence.stun.attr}.
 */
public final class StunAttribute {
    private final StunMessage message;
    private final int type;
    private final int valueIndex;
    private final int length;

    StunAttribute(StunMessage message, int type, int valueIndex, int length) {
        this.message = message;
        this.type = type;
        this.valueIndex = valueIndex;
        this.length = length;
    }

    public int type() {
        return type;
    }

    /** Length of the value without padding. */
    public int length() {
        return length;
    }

    /** The message this attribute belongs to (XOR-ed addresses need its transaction id). */
    public StunMessage message() {
        return message;
    }

    /** Offset of the attribute's 4-byte header in the message. */
    public int offset() {
        return valueIndex - 4;
    }

    /** Unsigned byte {@code i} of the value. */
    public int u8(int i) {
        checkIndex(i, 1);
        return message.raw()[valueIndex + i] & 0xFF;
    }

    /** Unsigned big-endian 16-bit number at byte {@code i} of the value. */
    public int u16(int i) {
        checkIndex(i, 2);
        byte[] r = message.raw();
        return ((r[valueIndex + i] & 0xFF) << 8) | (r[valueIndex + i + 1] & 0xFF);
    }

    /** Unsigned big-endian 32-bit number at byte {@code i} of the value. */
    public long u32(int i) {
        return ((long) u16(i) << 16) | u16(i + 2);
    }

    /** A copy of the value. */
    public byte[] value() {
        byte[] v = new byte[length];
        System.arraycopy(message.raw(), valueIndex, v, 0, length);
        return v;
    }

    /** Copies {@code len} value bytes from byte {@code i} into {@code dst}. */
    public void copyTo(int i, byte[] dst, int dstIndex, int len) {
        checkIndex(i, len);
        System.arraycopy(message.raw(), valueIndex + i, dst, dstIndex, len);
    }

    /**
     * The value as an unpooled buffer sharing the message's bytes: nothing to release, no copy. The buffer
     * is read-only because the message is immutable.
     */
    public ByteBuf valueBuffer() {
        return Unpooled.wrappedBuffer(message.raw(), valueIndex, length).asReadOnly();
    }

    /** The value decoded as UTF-8 (USERNAME, REALM, NONCE, SOFTWARE). */
    public String utf8() {
        return new String(message.raw(), valueIndex, length, StandardCharsets.UTF_8);
    }

    /** Whether the value equals {@code other}, compared in time independent of the content. */
    public boolean valueEquals(byte[] other) {
        return other.length == length && ConstantTime.equals(message.raw(), valueIndex, other, 0, length);
    }

    private void checkIndex(int i, int n) {
        if (i < 0 || i + n > length) {
            throw new IndexOutOfBoundsException("value byte " + i + "+" + n + " of " + length);
        }
    }

    @Override
    public String toString() {
        return String.format("0x%04x(%d bytes)", type, length);
    }
}
