package io.presence.stun;

import io.netty.buffer.ByteBuf;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * A decoded STUN message (RFC 8489): class, method, transaction id and every attribute in wire order.
 * Immutable and thread-safe. It holds its own copy of the message bytes (one copy of a datagram that is
 * at most a few hundred bytes), so it never refers to a Netty buffer and needs no release.
 *
 * <p>What the decoder guarantees, each point correcting an ice4j defect:
 * <ul>
 *   <li>Repeated attributes are all kept, in order ({@link #all(int)}): a CreatePermission may carry several
 *       XOR-PEER-ADDRESS. ice4j keeps one per type.</li>
 *   <li>Every malformed input ends in a {@link StunDecodeException} with a {@link DecodeFailure} — never an
 *       unchecked exception — including wrong sizes of known attributes.</li>
 *   <li>A FINGERPRINT, when present, has been verified; it is the last attribute.</li>
 *   <li>Attributes after MESSAGE-INTEGRITY other than MESSAGE-INTEGRITY-SHA256 and FINGERPRINT are ignored,
 *       as RFC 8489 §14.5 requires: they are not covered by the HMAC.</li>
 *   <li>Comprehension-required attributes the codec does not know are listed by
 *       {@link #unknownComprehensionRequired()} so that a request can be answered with 420.</li>
 * </ul>
 * MESSAGE-INTEGRITY is not checked by decoding (the key depends on USERNAME and REALM, read from the
 * message): call {@link #verifyIntegrity(IntegrityKey)}, which ice4j has no equivalent of.
 */
public final class StunMessage {
    public static final int HEADER_LENGTH = 20;
    public static final int MAGIC_COOKIE = 0x2112A442;
    /** More attributes than this is an attack or a bug, never a real message. */
    public static final int MAX_ATTRIBUTES = 64;

    private static final int[] NONE = new int[0];

    private final byte[] raw;
    private final int messageType;
    private final TransactionId transactionId;
    private final List<StunAttribute> attributes;
    private final int integrityIndex;
    private final int integritySha256Index;
    private final boolean fingerprint;
    private final int[] unknown;

    private StunMessage(byte[] raw) throws StunDecodeException {
        this.raw = raw;
        this.messageType = ((raw[0] & 0xFF) << 8) | (raw[1] & 0xFF);
        this.transactionId = TransactionId.wrap(Arrays.copyOfRange(raw, 8, HEADER_LENGTH));

        List<StunAttribute> list = new ArrayList<>();
        int[] unknownTypes = NONE;
        int unknownCount = 0;
        int mi = -1;
        int mi256 = -1;
        int fp = -1;
        int pos = HEADER_LENGTH;
        int end = raw.length;
        while (pos < end) {
            if (fp >= 0) {
                throw new StunDecodeException(DecodeFailure.FINGERPRINT_NOT_LAST, "attribute after FINGERPRINT");
            }
            if (end - pos < 4) {
                throw new StunDecodeException(DecodeFailure.ATTRIBUTE_OVERRUN, "partial attribute header");
            }
            int type = ((raw[pos] & 0xFF) << 8) | (raw[pos + 1] & 0xFF);
            int length = ((raw[pos + 2] & 0xFF) << 8) | (raw[pos + 3] & 0xFF);
            int valueIndex = pos + 4;
            if (length > end - valueIndex) {
                throw new StunDecodeException(DecodeFailure.ATTRIBUTE_OVERRUN,
                        "attribute 0x" + Integer.toHexString(type) + " length " + length);
            }
            boolean take;
            if (type == AttributeType.FINGERPRINT) {
                take = true;
                fp = pos;
            } else if (mi < 0 && mi256 < 0) {
                take = true;
                if (type == AttributeType.MESSAGE_INTEGRITY) {
                    mi = pos;
                } else if (type == AttributeType.MESSAGE_INTEGRITY_SHA256) {
                    mi256 = pos;
                } else if (!AttributeType.isKnown(type)) {
                    if (unknownCount == unknownTypes.length) {
                        unknownTypes = Arrays.copyOf(unknownTypes, Math.max(4, unknownCount * 2));
                    }
                    unknownTypes[unknownCount++] = type;
                }
            } else if (type == AttributeType.MESSAGE_INTEGRITY_SHA256 && mi256 < 0) {
                take = true;
                mi256 = pos;
            } else {
                take = false;
            }
            if (take) {
                String problem = AttributeType.check(type, raw, valueIndex, length);
                if (problem != null) {
                    throw new StunDecodeException(DecodeFailure.BAD_ATTRIBUTE, problem);
                }
                if (list.size() == MAX_ATTRIBUTES) {
                    throw new StunDecodeException(DecodeFailure.TOO_MANY_ATTRIBUTES, "over " + MAX_ATTRIBUTES);
                }
                list.add(new StunAttribute(this, type, valueIndex, length));
            }
            pos = valueIndex + ((length + 3) & ~3);
        }
        if (fp >= 0) {
            int expected = ((raw[fp + 4] & 0xFF) << 24) | ((raw[fp + 5] & 0xFF) << 16)
                    | ((raw[fp + 6] & 0xFF) << 8) | (raw[fp + 7] & 0xFF);
            if (Fingerprint.of(raw, fp) != expected) {
                throw new StunDecodeException(DecodeFailure.BAD_FINGERPRINT, "CRC mismatch");
            }
        }
        this.attributes = Collections.unmodifiableList(list);
        this.integrityIndex = mi;
        this.integritySha256Index = mi256;
        this.fingerprint = fp >= 0;
        this.unknown = unknownCount == 0 ? NONE : Arrays.copyOf(unknownTypes, unknownCount);
    }

    /**
     * Decodes the readable bytes of {@code buf} as exactly one STUN message (a datagram, or a frame cut by
     * {@code StunFrameDecoder}). Does not move the buffer's indices and does not release it: the caller
     * still owns it.
     */
    public static StunMessage decode(ByteBuf buf) throws StunDecodeException {
        int index = buf.readerIndex();
        int available = buf.readableBytes();
        int first = available >= 1 ? buf.getUnsignedByte(index) << 8 : 0;
        int total = checkHeader(available, first,
                available >= 4 ? buf.getUnsignedShort(index + 2) : 0,
                available >= 8 ? buf.getInt(index + 4) : 0);
        byte[] raw = new byte[total];
        buf.getBytes(index, raw);
        return new StunMessage(raw);
    }

    /**
     * Decodes {@code length} bytes of {@code bytes} from {@code offset} (ice4j's {@code Message.decode} gets
     * any offset other than 0 wrong). Copies the range; the array may be reused afterwards.
     */
    public static StunMessage decode(byte[] bytes, int offset, int length) throws StunDecodeException {
        java.util.Objects.checkFromIndexSize(offset, length, bytes.length);
        int type = length >= 1 ? (bytes[offset] & 0xFF) << 8 : 0;
        int len = length >= 4 ? ((bytes[offset + 2] & 0xFF) << 8) | (bytes[offset + 3] & 0xFF) : 0;
        int cookie = length >= 8 ? ((bytes[offset + 4] & 0xFF) << 24) | ((bytes[offset + 5] & 0xFF) << 16)
                | ((bytes[offset + 6] & 0xFF) << 8) | (bytes[offset + 7] & 0xFF) : 0;
        int total = checkHeader(length, type, len, cookie);
        return new StunMessage(Arrays.copyOfRange(bytes, offset, offset + total));
    }

    /** Validates the fixed header; returns the message's total size. */
    private static int checkHeader(int available, int firstWord, int length, int cookie) throws StunDecodeException {
        if (available < HEADER_LENGTH) {
            if (available >= 1 && (firstWord & 0xC000) != 0) {
                throw new StunDecodeException(DecodeFailure.NOT_STUN, "first bits " + (firstWord >>> 14));
            }
            throw new StunDecodeException(DecodeFailure.TRUNCATED, available + " bytes");
        }
        if ((firstWord & 0xC000) != 0) {
            throw new StunDecodeException(DecodeFailure.NOT_STUN, "first bits " + (firstWord >>> 14));
        }
        if (cookie != MAGIC_COOKIE) {
            throw new StunDecodeException(DecodeFailure.BAD_MAGIC_COOKIE, Integer.toHexString(cookie));
        }
        if ((length & 3) != 0) {
            throw new StunDecodeException(DecodeFailure.BAD_LENGTH, "length " + length + " not a multiple of 4");
        }
        int total = HEADER_LENGTH + length;
        if (total > available) {
            throw new StunDecodeException(DecodeFailure.TRUNCATED, "length " + length + " but " + available + " bytes");
        }
        if (total < available) {
            throw new StunDecodeException(DecodeFailure.BAD_LENGTH, (available - total) + " bytes after the message");
        }
        return total;
    }

    /** Whether the first two bits of the byte say STUN (0b00); ChannelData starts with 0b01. */
    public static boolean isStun(int firstByte) {
        return (firstByte & 0xC0) == 0;
    }

    byte[] raw() {
        return raw;
    }

    public int messageType() {
        return messageType;
    }

    public int method() {
        return Method.ofType(messageType);
    }

    public MessageClass messageClass() {
        return MessageClass.ofType(messageType);
    }

    public boolean is(int method, MessageClass cls) {
        return messageType == Method.messageType(method, cls);
    }

    public TransactionId transactionId() {
        return transactionId;
    }

    /** Size of the message on the wire, header included. */
    public int size() {
        return raw.length;
    }

    /** Attributes in wire order, repeated ones included; those RFC 8489 says to ignore are left out. */
    public List<StunAttribute> attributes() {
        return attributes;
    }

    /** The first attribute of {@code type}, or {@code null}. */
    public StunAttribute first(int type) {
        for (int i = 0, n = attributes.size(); i < n; i++) {
            StunAttribute a = attributes.get(i);
            if (a.type() == type) {
                return a;
            }
        }
        return null;
    }

    public boolean has(int type) {
        return first(type) != null;
    }

    /** Every attribute of {@code type}, in wire order. */
    public List<StunAttribute> all(int type) {
        List<StunAttribute> out = new ArrayList<>(2);
        for (StunAttribute a : attributes) {
            if (a.type() == type) {
                out.add(a);
            }
        }
        return out;
    }

    /** Comprehension-required attribute types that the codec does not know, in wire order (a copy). */
    public int[] unknownComprehensionRequired() {
        return unknown.clone();
    }

    public boolean hasUnknownComprehensionRequired() {
        return unknown.length > 0;
    }

    public boolean hasMessageIntegrity() {
        return integrityIndex >= 0;
    }

    public boolean hasMessageIntegritySha256() {
        return integritySha256Index >= 0;
    }

    /** Whether the message carried a FINGERPRINT (which decoding has verified). */
    public boolean hasFingerprint() {
        return fingerprint;
    }

    /**
     * Verifies the message's integrity with {@code key}: MESSAGE-INTEGRITY-SHA256 when present (RFC 8489
     * §9.1.4 prefers it), else MESSAGE-INTEGRITY. False when the message has neither. The HMAC is compared
     * in constant time.
     */
    public boolean verifyIntegrity(IntegrityKey key) {
        if (integritySha256Index >= 0) {
            return Integrity.verify(raw, integritySha256Index, key, true);
        }
        if (integrityIndex >= 0) {
            return Integrity.verify(raw, integrityIndex, key, false);
        }
        return false;
    }

    /** Verifies MESSAGE-INTEGRITY (HMAC-SHA1) only, even when MESSAGE-INTEGRITY-SHA256 is also present. */
    public boolean verifyIntegritySha1(IntegrityKey key) {
        return integrityIndex >= 0 && Integrity.verify(raw, integrityIndex, key, false);
    }

    /** Writes the message's bytes as received. */
    public void writeTo(ByteBuf out) {
        out.writeBytes(raw);
    }

    /** A copy of the message's bytes. */
    public byte[] toBytes() {
        return raw.clone();
    }

    @Override
    public String toString() {
        return Method.name(method()) + " " + messageClass() + " " + transactionId + " " + attributes;
    }
}
