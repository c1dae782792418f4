package io.presence.stun.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.presence.stun.AttributeType;
import io.presence.stun.DecodeFailure;
import io.presence.stun.Method;
import io.presence.stun.StunDecodeException;
import io.presence.stun.StunMessage;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.CRC32;

/**
 * Send and Data indications (RFC 8656 §10, §11) read and written on the hot path, without building a
 * {@link StunMessage}: the parser walks the attributes in the buffer and remembers where XOR-PEER-ADDRESS
 * and DATA are; the payload is used in place.
 *
 * <p>A reusable, mutable view: keep one per event loop and call {@link #parse(ByteBuf)} per packet; the
 * accessors describe the last successful parse. Not thread-safe. Never retains or releases the buffer.
 */
public final class TurnIndication {
    private static final StunDecodeException TRUNCATED =
            new StunDecodeException(DecodeFailure.TRUNCATED, "indication shorter than its length");
    private static final StunDecodeException BAD_LENGTH =
            new StunDecodeException(DecodeFailure.BAD_LENGTH, "indication length field");
    private static final StunDecodeException BAD_COOKIE =
            new StunDecodeException(DecodeFailure.BAD_MAGIC_COOKIE, "indication magic cookie");
    private static final StunDecodeException OVERRUN =
            new StunDecodeException(DecodeFailure.ATTRIBUTE_OVERRUN, "indication attribute overrun");
    private static final StunDecodeException BAD_ADDRESS =
            new StunDecodeException(DecodeFailure.BAD_ATTRIBUTE, "XOR-PEER-ADDRESS size or family");
    private static final StunDecodeException BAD_FINGERPRINT_SIZE =
            new StunDecodeException(DecodeFailure.BAD_ATTRIBUTE, "FINGERPRINT size");
    private static final StunDecodeException NOT_LAST =
            new StunDecodeException(DecodeFailure.FINGERPRINT_NOT_LAST, "attribute after FINGERPRINT");
    private static final StunDecodeException BAD_FINGERPRINT =
            new StunDecodeException(DecodeFailure.BAD_FINGERPRINT, "indication CRC mismatch");
    private static final StunDecodeException MISSING =
            new StunDecodeException(DecodeFailure.MISSING_ATTRIBUTE, "indication without XOR-PEER-ADDRESS or DATA");

    private static final int DATA_HEADER = 4;

    private final byte[] peerIp = new byte[16];
    private int messageType;
    private int peerFamily;
    private int peerPort;
    private int dataIndex;
    private int dataLength;
    private boolean dontFragment;
    private boolean unknownRequired;

    /**
     * Parses the readable bytes of {@code frame} when they are a Send or Data indication. Returns false,
     * having read only the type, when they are another STUN message. Does not move the indices.
     */
    public boolean parse(ByteBuf frame) throws StunDecodeException {
        int start = frame.readerIndex();
        int available = frame.readableBytes();
        if (available < StunMessage.HEADER_LENGTH) {
            throw TRUNCATED;
        }
        int type = frame.getUnsignedShort(start);
        if (type != Method.SEND_INDICATION_TYPE && type != Method.DATA_INDICATION_TYPE) {
            return false;
        }
        int length = frame.getUnsignedShort(start + 2);
        if ((length & 3) != 0 || StunMessage.HEADER_LENGTH + length < available) {
            throw BAD_LENGTH;
        }
        if (StunMessage.HEADER_LENGTH + length > available) {
            throw TRUNCATED;
        }
        if (frame.getInt(start + 4) != StunMessage.MAGIC_COOKIE) {
            throw BAD_COOKIE;
        }
        int end = start + StunMessage.HEADER_LENGTH + length;
        int pos = start + StunMessage.HEADER_LENGTH;
        int peerAt = -1;
        int dataAt = -1;
        int dataLen = 0;
        boolean df = false;
        boolean unknown = false;
        boolean fingerprint = false;
        while (pos < end) {
            if (fingerprint) {
                throw NOT_LAST;
            }
            int attrType = frame.getUnsignedShort(pos);
            int attrLength = frame.getUnsignedShort(pos + 2);
            int value = pos + 4;
            if (attrLength > end - value) {
                throw OVERRUN;
            }
            switch (attrType) {
                case AttributeType.XOR_PEER_ADDRESS -> {
                    // RFC 8656: with several, the first counts.
                    if (peerAt < 0) {
                        int family = attrLength >= 4 ? frame.getUnsignedByte(value + 1) : 0;
                        if (!(family == 1 && attrLength == 8 || family == 2 && attrLength == 20)) {
                            throw BAD_ADDRESS;
                        }
                        peerAt = value;
                    }
                }
                case AttributeType.DATA -> {
                    if (dataAt < 0) {
                        dataAt = value;
                        dataLen = attrLength;
                    }
                }
                case AttributeType.DONT_FRAGMENT -> df = true;
                case AttributeType.FINGERPRINT -> {
                    if (attrLength != 4) {
                        throw BAD_FINGERPRINT_SIZE;
                    }
                    if (crc(frame, start, pos - start) != frame.getInt(value)) {
                        throw BAD_FINGERPRINT;
                    }
                    fingerprint = true;
                }
                default -> unknown |= !AttributeType.isKnown(attrType);
            }
            pos = value + ((attrLength + 3) & ~3);
        }
        if (peerAt < 0 || dataAt < 0) {
            throw MISSING;
        }
        int family = frame.getUnsignedByte(peerAt + 1);
        this.messageType = type;
        this.peerFamily = family;
        this.peerPort = frame.getUnsignedShort(peerAt + 2) ^ (StunMessage.MAGIC_COOKIE >>> 16);
        int ipLength = family == 1 ? 4 : 16;
        for (int i = 0; i < ipLength; i++) {
            int mask = i < 4 ? StunMessage.MAGIC_COOKIE >>> (24 - 8 * i) : frame.getByte(start + 8 + i - 4);
            peerIp[i] = (byte) (frame.getByte(peerAt + 4 + i) ^ mask);
        }
        this.dataIndex = dataAt;
        this.dataLength = dataLen;
        this.dontFragment = df;
        this.unknownRequired = unknown;
        return true;
    }

    private static int crc(ByteBuf buf, int start, int length) {
        CRC32 crc = new CRC32();
        if (buf.hasArray()) {
            crc.update(buf.array(), buf.arrayOffset() + start, length);
        } else {
            crc.update(buf.nioBuffer(start, length));
        }
        return (int) crc.getValue() ^ 0x5354554E;
    }

    public boolean isSend() {
        return messageType == Method.SEND_INDICATION_TYPE;
    }

    public boolean isIpv4() {
        return peerFamily == 1;
    }

    public int peerPort() {
        return peerPort;
    }

    /** The peer's IPv4 address as a big-endian int (only when {@link #isIpv4()}); allocation-free. */
    public int peerIpv4() {
        return ((peerIp[0] & 0xFF) << 24) | ((peerIp[1] & 0xFF) << 16) | ((peerIp[2] & 0xFF) << 8) | (peerIp[3] & 0xFF);
    }

    /** A copy of the peer's address bytes (4 or 16). */
    public byte[] peerAddressBytes() {
        byte[] b = new byte[isIpv4() ? 4 : 16];
        System.arraycopy(peerIp, 0, b, 0, b.length);
        return b;
    }

    /** The peer's transport address (allocates). */
    public InetSocketAddress peerAddress() {
        try {
            return new InetSocketAddress(InetAddress.getByAddress(peerAddressBytes()), peerPort);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    public boolean dontFragment() {
        return dontFragment;
    }

    /** Whether the indication carried a comprehension-required attribute the codec does not know; RFC
     * 8489 §6.3.2 says to discard such an indication. */
    public boolean hasUnknownComprehensionRequired() {
        return unknownRequired;
    }

    /** Absolute index of the DATA value in the parsed buffer. */
    public int dataIndex() {
        return dataIndex;
    }

    public int dataLength() {
        return dataLength;
    }

    /** Turns the parsed frame into its DATA payload in place (indices only; no allocation, no copy). */
    public ByteBuf toData(ByteBuf frame) {
        return frame.setIndex(dataIndex, dataIndex + dataLength);
    }

    /**
     * A Data indication (server to client) carrying {@code payload} from {@code peer}, without copying the
     * payload: a composite of a header buffer, the payload and padding. Takes ownership of
     * {@code payload}; the caller owns the result. The transaction id is random but not from a
     * cryptographic source: indications get no response, so nothing can be spoofed against it.
     */
    public static ByteBuf encodeData(ByteBufAllocator alloc, InetSocketAddress peer, ByteBuf payload) {
        return encode(alloc, Method.DATA_INDICATION_TYPE, peer, payload);
    }

    /** A Send indication (client to server); used by clients and tests. Same ownership as {@link #encodeData}. */
    public static ByteBuf encodeSend(ByteBufAllocator alloc, InetSocketAddress peer, ByteBuf payload) {
        return encode(alloc, Method.SEND_INDICATION_TYPE, peer, payload);
    }

    private static ByteBuf encode(ByteBufAllocator alloc, int type, InetSocketAddress peer, ByteBuf payload) {
        try {
            int length = payload.readableBytes();
            InetAddress ip = peer.getAddress();
            byte[] ipBytes = ip.getAddress();
            int padding = (4 - (length & 3)) & 3;
            int body = 4 + 4 + ipBytes.length + DATA_HEADER + length + padding;
            if (body > 0xFFFF) {
                throw new IllegalArgumentException("payload of " + length + " bytes does not fit an indication");
            }
            ByteBuf header = alloc.buffer(StunMessage.HEADER_LENGTH + 8 + ipBytes.length + DATA_HEADER);
            header.writeShort(type);
            header.writeShort(body);
            header.writeInt(StunMessage.MAGIC_COOKIE);
            int tidIndex = header.writerIndex();
            ThreadLocalRandom random = ThreadLocalRandom.current();
            header.writeInt(random.nextInt());
            header.writeLong(random.nextLong());
            header.writeShort(AttributeType.XOR_PEER_ADDRESS);
            header.writeShort(4 + ipBytes.length);
            header.writeByte(0);
            header.writeByte(ip instanceof Inet4Address ? 1 : 2);
            header.writeShort(peer.getPort() ^ (StunMessage.MAGIC_COOKIE >>> 16));
            for (int i = 0; i < ipBytes.length; i++) {
                int mask = i < 4 ? StunMessage.MAGIC_COOKIE >>> (24 - 8 * i) : header.getByte(tidIndex + i - 4);
                header.writeByte(ipBytes[i] ^ mask);
            }
            header.writeShort(AttributeType.DATA);
            header.writeShort(length);
            CompositeByteBuf out = alloc.compositeBuffer(3);
            out.addComponents(true, header, payload);
            if (padding > 0) {
                out.addComponent(true, PADDING.slice(0, padding));
            }
            return out;
        } catch (RuntimeException e) {
            payload.release();
            throw e;
        }
    }

    private static final ByteBuf PADDING =
            Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(new byte[3]).asReadOnly());
}
