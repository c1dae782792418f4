package io.presence.stun;

import io.netty.buffer.ByteBuf;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * Writes one STUN message straight into a {@link ByteBuf}: header, attributes in call order, then optionally
 * MESSAGE-INTEGRITY, MESSAGE-INTEGRITY-SHA256 and FINGERPRINT, which must come last and in that order.
 * {@link #finish()} fixes the length field. There is no intermediate object model, so encoding a response
 * costs its bytes and one HMAC.
 *
 * <p>Every message gets an explicit transaction id (ice4j's factories leave it unset) and nothing is added
 * behind the caller's back (ice4j adds SOFTWARE unless told not to).
 *
 * <p>Not thread-safe; one writer per message. The caller owns {@code out}.
 */
public final class StunMessageWriter {
    /** The length field is 16 bits. */
    public static final int MAX_BODY = 0xFFFF & ~3;

    private final ByteBuf out;
    private final int start;
    private final TransactionId transactionId;
    private int stage; // 0 attributes, 1 after MI, 2 after MI-SHA256, 3 after FINGERPRINT, 4 finished

    private StunMessageWriter(ByteBuf out, int messageType, TransactionId transactionId) {
        this.out = out;
        this.start = out.writerIndex();
        this.transactionId = transactionId;
        out.writeShort(messageType);
        out.writeShort(0);
        out.writeInt(StunMessage.MAGIC_COOKIE);
        transactionId.writeTo(out);
    }

    public static StunMessageWriter begin(ByteBuf out, int method, MessageClass cls, TransactionId transactionId) {
        return new StunMessageWriter(out, Method.messageType(method, cls), transactionId);
    }

    /** A success or error response to {@code request}: same method, same transaction id. */
    public static StunMessageWriter response(ByteBuf out, StunMessage request, boolean success) {
        return begin(out, request.method(),
                success ? MessageClass.SUCCESS_RESPONSE : MessageClass.ERROR_RESPONSE, request.transactionId());
    }

    public TransactionId transactionId() {
        return transactionId;
    }

    private void header(int type, int length) {
        if (stage != 0) {
            throw new IllegalStateException("attribute 0x" + Integer.toHexString(type)
                    + " after MESSAGE-INTEGRITY or FINGERPRINT");
        }
        if (length > 0xFFFF) {
            throw new IllegalArgumentException("attribute value of " + length + " bytes");
        }
        out.writeShort(type);
        out.writeShort(length);
    }

    private void pad(int length) {
        out.writeZero((4 - (length & 3)) & 3);
    }

    public StunMessageWriter attribute(int type, byte[] value) {
        header(type, value.length);
        out.writeBytes(value);
        pad(value.length);
        return this;
    }

    /** Copies the readable bytes of {@code value} without moving its reader index; the caller keeps it. */
    public StunMessageWriter attribute(int type, ByteBuf value) {
        int n = value.readableBytes();
        header(type, n);
        out.writeBytes(value, value.readerIndex(), n);
        pad(n);
        return this;
    }

    /** An attribute with no value (DONT-FRAGMENT, USE-CANDIDATE). */
    public StunMessageWriter flag(int type) {
        header(type, 0);
        return this;
    }

    public StunMessageWriter u32(int type, long value) {
        header(type, 4);
        out.writeInt((int) value);
        return this;
    }

    /** A text attribute in UTF-8 (USERNAME, REALM, NONCE, SOFTWARE). */
    public StunMessageWriter string(int type, String value) {
        return attribute(type, value.getBytes(StandardCharsets.UTF_8));
    }

    /** ERROR-CODE (RFC 8489 §14.8). A null or empty reason omits the phrase, as amplification advice asks. */
    public StunMessageWriter errorCode(int code, String reason) {
        if (code < 300 || code > 699) {
            throw new IllegalArgumentException("error code " + code);
        }
        byte[] phrase = reason == null ? new byte[0] : reason.getBytes(StandardCharsets.UTF_8);
        header(AttributeType.ERROR_CODE, 4 + phrase.length);
        out.writeShort(0);
        out.writeByte(code / 100);
        out.writeByte(code % 100);
        out.writeBytes(phrase);
        pad(phrase.length);
        return this;
    }

    /** UNKNOWN-ATTRIBUTES (RFC 8489 §14.9). */
    public StunMessageWriter unknownAttributes(int... types) {
        header(AttributeType.UNKNOWN_ATTRIBUTES, types.length * 2);
        for (int t : types) {
            out.writeShort(t);
        }
        pad(types.length * 2);
        return this;
    }

    /** An XOR-ed address attribute (XOR-MAPPED-ADDRESS, XOR-PEER-ADDRESS, XOR-RELAYED-ADDRESS). */
    public StunMessageWriter xorAddress(int type, InetSocketAddress address) {
        InetAddress ip = address.getAddress();
        byte[] bytes = ip.getAddress();
        header(type, 4 + bytes.length);
        out.writeByte(0);
        out.writeByte(ip instanceof Inet4Address ? 0x01 : 0x02);
        out.writeShort(address.getPort() ^ (StunMessage.MAGIC_COOKIE >>> 16));
        for (int i = 0; i < bytes.length; i++) {
            int mask = i < 4 ? StunMessage.MAGIC_COOKIE >>> (24 - 8 * i) : transactionId.byteAt(i - 4);
            out.writeByte(bytes[i] ^ mask);
        }
        return this;
    }

    /** A plain address attribute (MAPPED-ADDRESS, RESPONSE-ORIGIN, OTHER-ADDRESS, ALTERNATE-SERVER). */
    public StunMessageWriter address(int type, InetSocketAddress address) {
        InetAddress ip = address.getAddress();
        byte[] bytes = ip.getAddress();
        header(type, 4 + bytes.length);
        out.writeByte(0);
        out.writeByte(ip instanceof Inet6Address ? 0x02 : 0x01);
        out.writeShort(address.getPort());
        out.writeBytes(bytes);
        return this;
    }

    /** MESSAGE-INTEGRITY (HMAC-SHA1) over everything written so far. */
    public StunMessageWriter messageIntegrity(IntegrityKey key) {
        return integrity(key, false, 20);
    }

    /** MESSAGE-INTEGRITY-SHA256 (32 bytes) over everything written so far. */
    public StunMessageWriter messageIntegritySha256(IntegrityKey key) {
        return integrity(key, true, 32);
    }

    private StunMessageWriter integrity(IntegrityKey key, boolean sha256, int size) {
        if (stage >= (sha256 ? 2 : 1)) {
            throw new IllegalStateException("integrity attribute out of order");
        }
        int attrIndex = out.writerIndex();
        setLength(attrIndex + 4 + size - start - StunMessage.HEADER_LENGTH);
        byte[] hmac = Integrity.compute(out, start, attrIndex, key, sha256);
        out.writeShort(sha256 ? AttributeType.MESSAGE_INTEGRITY_SHA256 : AttributeType.MESSAGE_INTEGRITY);
        out.writeShort(size);
        out.writeBytes(hmac, 0, size);
        stage = sha256 ? 2 : 1;
        return this;
    }

    /** FINGERPRINT; nothing may follow. */
    public StunMessageWriter fingerprint() {
        if (stage >= 3) {
            throw new IllegalStateException("FINGERPRINT twice");
        }
        int attrIndex = out.writerIndex();
        setLength(attrIndex + 8 - start - StunMessage.HEADER_LENGTH);
        int crc = Fingerprint.of(out, start, attrIndex - start);
        out.writeShort(AttributeType.FINGERPRINT);
        out.writeShort(4);
        out.writeInt(crc);
        stage = 3;
        return this;
    }

    /** Sets the final length field. Returns the message's total size in bytes. */
    public int finish() {
        int total = out.writerIndex() - start;
        setLength(total - StunMessage.HEADER_LENGTH);
        stage = 4;
        return total;
    }

    private void setLength(int bodyLength) {
        if (bodyLength > MAX_BODY) {
            throw new IllegalStateException("message body of " + bodyLength + " bytes exceeds the length field");
        }
        out.setShort(start + 2, bodyLength);
    }
}
