package io.presence.turn.policy;

/**
 * Finds an IPv4 address hidden in an IPv6 one, so that the IPv4 deny ranges apply to it (CVE-2026-27624 and
 * CVE-2020-26262 are this class of bypass: {@code ::ffff:127.0.0.1} reaching loopback through an IPv6-only
 * check). The forms, each of which a host or a translator on the path turns into an IPv4 destination:
 * <ul>
 *   <li>{@code ::ffff:a.b.c.d} — IPv4-mapped (RFC 4291 §2.5.5.2); Java itself opens an IPv4 socket for it;</li>
 *   <li>{@code ::a.b.c.d} — IPv4-compatible (RFC 4291 §2.5.5.1, deprecated), except {@code ::} and
 *       {@code ::1}, which are IPv6's own unspecified and loopback addresses and are matched as IPv6;</li>
 *   <li>{@code 64:ff9b::a.b.c.d} — the NAT64 well-known prefix (RFC 6052 §2.1);</li>
 *   <li>{@code 2002:aabb:ccdd::} — 6to4 (RFC 3056 §2), the IPv4 address in bits 16–47.</li>
 * </ul>
 */
public final class EmbeddedIpv4 {
    /** Returned by {@link #of} when the address embeds no IPv4 address. */
    public static final long NONE = -1L;

    private static final long NAT64_HI = 0x0064_ff9b_0000_0000L;

    private EmbeddedIpv4() {
    }

    /**
     * The embedded IPv4 address of the IPv6 address {@code (hi, lo)} as an unsigned 32-bit value, or
     * {@link #NONE}. Allocation-free.
     */
    public static long of(long hi, long lo) {
        long v4 = lo & 0xFFFFFFFFL;
        long upper = lo >>> 32;
        if (hi == 0 && upper == 0x0000_FFFFL) {
            return v4; // ::ffff:a.b.c.d
        }
        if (hi == 0 && upper == 0 && v4 > 1) {
            return v4; // ::a.b.c.d (but not :: or ::1)
        }
        if (hi == NAT64_HI && upper == 0) {
            return v4; // 64:ff9b::a.b.c.d
        }
        if ((hi >>> 48) == 0x2002L) {
            return (hi >>> 16) & 0xFFFFFFFFL; // 2002:aabb:ccdd::/48
        }
        return NONE;
    }
}
