package io.presence.stun.attr;

import io.presence.stun.StunAttribute;

import java.net.InetSocketAddress;

/** Plain address attributes: MAPPED-ADDRESS, RESPONSE-ORIGIN, OTHER-ADDRESS, ALTERNATE-SERVER. */
public final class Address {
    private Address() {
    }

    public static InetSocketAddress decode(StunAttribute attribute) {
        byte[] ip = new byte[attribute.u8(1) == 0x01 ? 4 : 16];
        attribute.copyTo(4, ip, 0, ip.length);
        return new InetSocketAddress(XorAddress.toInet(ip), attribute.u16(2));
    }
}
