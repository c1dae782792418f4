package io.presence.stun.attr;

import io.presence.stun.StunAttribute;
import io.presence.stun.StunMessage;
import io.presence.stun.StunMessageWriter;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * XOR-MAPPED-ADDRESS, XOR-PEER-ADDRESS and XOR-RELAYED-ADDRESS (RFC 8489 §14.2, RFC 8656 §18.3/§18.5):
 * address and port XOR-ed with the magic cookie and, for IPv6, the transaction id. The decoder has already
 * checked the family and size, so reading cannot fail.
 */
public final class XorAddress {
    private XorAddress() {
    }

    public static InetSocketAddress decode(StunAttribute attribute) {
        int family = attribute.u8(1);
        int port = attribute.u16(2) ^ (StunMessage.MAGIC_COOKIE >>> 16);
        byte[] ip = new byte[family == 0x01 ? 4 : 16];
        attribute.copyTo(4, ip, 0, ip.length);
        var tid = attribute.message().transactionId();
        for (int i = 0; i < ip.length; i++) {
            int mask = i < 4 ? StunMessage.MAGIC_COOKIE >>> (24 - 8 * i) : tid.byteAt(i - 4);
            ip[i] ^= (byte) mask;
        }
        return new InetSocketAddress(toInet(ip), port);
    }

    static InetAddress toInet(byte[] ip) {
        try {
            return InetAddress.getByAddress(ip);
        } catch (UnknownHostException e) {
            throw new AssertionError("4 or 16 bytes always make an address", e);
        }
    }

    public static void write(StunMessageWriter writer, int type, InetSocketAddress address) {
        writer.xorAddress(type, address);
    }
}
