package io.presence.stun.attr;

import io.presence.stun.StunAttribute;

/** UNKNOWN-ATTRIBUTES (RFC 8489 §14.9): a list of 16-bit types. Written by {@code StunMessageWriter}. */
public final class UnknownAttributes {
    private UnknownAttributes() {
    }

    public static int[] decode(StunAttribute attribute) {
        int[] types = new int[attribute.length() / 2];
        for (int i = 0; i < types.length; i++) {
            types[i] = attribute.u16(2 * i);
        }
        return types;
    }
}
