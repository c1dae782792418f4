package io.presence.stun;

import io.netty.buffer.ByteBuf;

import java.util.zip.CRC32;

/** FINGERPRINT (RFC 8489 §14.7): CRC-32 of the message before it, XOR-ed with 0x5354554E ("STUN"). */
final class Fingerprint {
    static final int XOR = 0x5354554E;

    private Fingerprint() {
    }

    static int of(byte[] raw, int length) {
        CRC32 crc = new CRC32();
        crc.update(raw, 0, length);
        return (int) crc.getValue() ^ XOR;
    }

    static int of(ByteBuf buf, int start, int length) {
        CRC32 crc = new CRC32();
        if (buf.hasArray()) {
            crc.update(buf.array(), buf.arrayOffset() + start, length);
        } else {
            crc.update(buf.nioBuffer(start, length));
        }
        return (int) crc.getValue() ^ XOR;
    }
}
