package io.presence.turn.policy;

/**
 * Finds an IPv4 address hidden in an IPv6 one, so that the IPv4 deny ranges apply to it (CVE-2026-27624 and
 * CVE-2020-26262 are this class of bypass: {@code ::ffff:127.0.0.1} reaching loopback through an IPv6-only
 * check). Every form a host, a tunnel or a translator on the path turns into an IPv4 destination is a
 * {@link Form}; which of them may be relayed to is {@link PeerPolicy}'s decision, not this class's.
 *
 * <p>All methods take the address as two longs ({@code hi} = bits 0–63, {@code lo} = bits 64–127) and allocate
 * nothing; a form is recognised by at most a handful of comparisons.
 */
public final class EmbeddedIpv4 {
    /** Returned by {@link #of} and {@link #teredoServer} when the address embeds no such IPv4 address. */
    public static final long NONE = -1L;

    private static final long NAT64_HI = 0x0064_ff9b_0000_0000L;
    private static final long NAT64_LOCAL_TOP48 = 0x0064_ff9b_0001L;
    private static final long SIX_TO_FOUR_TOP16 = 0x2002L;
    private static final long TEREDO_TOP32 = 0x2001_0000L;

    /** An IPv6 form that carries an IPv4 address, with where the address sits. */
    public enum Form {
        /** {@code ::ffff:a.b.c.d} — IPv4-mapped (RFC 4291 §2.5.5.2); Java itself opens an IPv4 socket for it. */
        MAPPED,
        /**
         * {@code ::a.b.c.d} — IPv4-compatible (RFC 4291 §2.5.5.1, deprecated), except {@code ::} and {@code ::1},
         * which are IPv6's own unspecified and loopback addresses and are not this form.
         */
        COMPATIBLE,
        /** {@code ::ffff:0:a.b.c.d} — IPv4-translated, the SIIT prefix {@code ::ffff:0:0:0/96} (RFC 2765 §2.1). */
        TRANSLATED,
        /** {@code 64:ff9b::a.b.c.d} — the NAT64 well-known prefix {@code 64:ff9b::/96} (RFC 6052 §2.1). */
        NAT64,
        /**
         * {@code 64:ff9b:1::/48} — the NAT64 local-use prefix (RFC 8215), read as RFC 6052 §2.2 lays out a /48
         * prefix: the IPv4 address in bits 48–63 and 72–87, the "u" octet (bits 64–71) skipped.
         */
        NAT64_LOCAL,
        /** {@code 2002:aabb:ccdd::/48} — 6to4 (RFC 3056 §2), the IPv4 address in bits 16–47. */
        SIX_TO_FOUR,
        /**
         * {@code 2001:0:ssss:ssss:flags:port:cccc:cccc} — Teredo (RFC 4380 §4): the Teredo server's IPv4 address in
         * bits 32–63 ({@link #teredoServer}) and the client's public IPv4 address in bits 96–127, obfuscated by
         * inverting every bit ({@link #of} undoes that).
         */
        TEREDO;

        /** The IPv4 address this form carries at {@code (hi, lo)}, as an unsigned 32-bit value. */
        public long ipv4(long hi, long lo) {
            return switch (this) {
                case MAPPED, COMPATIBLE, TRANSLATED, NAT64 -> lo & 0xFFFF_FFFFL;
                case NAT64_LOCAL -> ((hi & 0xFFFFL) << 16) | ((lo >>> 40) & 0xFFFFL);
                case SIX_TO_FOUR -> (hi >>> 16) & 0xFFFF_FFFFL;
                case TEREDO -> ~lo & 0xFFFF_FFFFL;
            };
        }
    }

    private EmbeddedIpv4() {
    }

    /** The form of {@code (hi, lo)}, or null when the address carries no IPv4 address. */
    public static Form form(long hi, long lo) {
        if (hi == 0) {
            long upper = lo >>> 32;
            if (upper == 0x0000_FFFFL) {
                return Form.MAPPED;
            }
            if (upper == 0) {
                return (lo & 0xFFFF_FFFFL) > 1 ? Form.COMPATIBLE : null;
            }
            return upper == 0xFFFF_0000L ? Form.TRANSLATED : null;
        }
        if (hi == NAT64_HI) {
            return (lo >>> 32) == 0 ? Form.NAT64 : null;
        }
        if ((hi >>> 16) == NAT64_LOCAL_TOP48) {
            return Form.NAT64_LOCAL;
        }
        if ((hi >>> 48) == SIX_TO_FOUR_TOP16) {
            return Form.SIX_TO_FOUR;
        }
        if ((hi >>> 32) == TEREDO_TOP32) {
            return Form.TEREDO;
        }
        return null;
    }

    /**
     * The embedded IPv4 address of the IPv6 address {@code (hi, lo)} as an unsigned 32-bit value, or
     * {@link #NONE}: for Teredo the client's address (de-obfuscated), the one the datagram is finally delivered
     * to; the server's address is {@link #teredoServer}.
     */
    public static long of(long hi, long lo) {
        Form f = form(hi, lo);
        return f == null ? NONE : f.ipv4(hi, lo);
    }

    /** The Teredo server's IPv4 address (bits 32–63) of a Teredo address, or {@link #NONE} for any other address. */
    public static long teredoServer(long hi, long lo) {
        return (hi >>> 32) == TEREDO_TOP32 ? hi & 0xFFFF_FFFFL : NONE;
    }
}
