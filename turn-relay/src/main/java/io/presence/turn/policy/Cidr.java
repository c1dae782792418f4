package io.presence.turn.policy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * One address range, {@code a.b.c.d/n} or {@code x:y::/n} (a bare address means a single host). Immutable.
 * Matching is family-aware: an IPv4 range never matches an IPv6 address and vice versa (coturn 4.6.1 compared
 * mixed families by byte order and denied 8.8.8.8 through an IPv6 range). Callers convert IPv4-embedded IPv6
 * first ({@link EmbeddedIpv4}).
 *
 * <p>Both families are held as two longs (IPv4 in the low 32 bits of {@code lo}), so matching allocates nothing.
 */
public record Cidr(boolean ipv6, long hi, long lo, int prefix) {

    public Cidr {
        int max = ipv6 ? 128 : 32;
        if (prefix < 0 || prefix > max) {
            throw new IllegalArgumentException("prefix /" + prefix + " outside 0.." + max);
        }
        // Normalise host bits to zero so that equal ranges compare equal.
        if (ipv6) {
            hi &= maskHi(prefix);
            lo &= maskLo(prefix);
        } else {
            hi = 0;
            lo &= 0xFFFFFFFFL & (prefix == 0 ? 0 : (0xFFFFFFFFL << (32 - prefix)));
        }
    }

    /**
     * Parses {@code text}; throws {@link IllegalArgumentException} naming the entry when it is not a literal
     * address with an optional prefix. Never resolves host names (a DNS lookup at start would be a hidden
     * dependency and a malformed entry must stop the start, not silently become something else).
     */
    public static Cidr parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("CIDR entry is null");
        }
        String s = text.trim();
        int slash = s.indexOf('/');
        String addr = slash < 0 ? s : s.substring(0, slash);
        byte[] bytes = literal(addr);
        if (bytes == null) {
            throw new IllegalArgumentException("malformed CIDR entry '" + text + "': not an IP literal");
        }
        int max = bytes.length * 8;
        int prefix = max;
        if (slash >= 0) {
            String p = s.substring(slash + 1);
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
                throw new IllegalArgumentException("malformed CIDR entry '" + text + "': bad prefix");
            }
            prefix = Integer.parseInt(p);
            if (prefix > max) {
                throw new IllegalArgumentException("malformed CIDR entry '" + text + "': prefix over /" + max);
            }
        }
        return of(bytes, prefix);
    }

    /** A range from raw address bytes (4 or 16). */
    public static Cidr of(byte[] bytes, int prefix) {
        if (bytes.length == 4) {
            return new Cidr(false, 0, IpBits.v4(bytes) & 0xFFFFFFFFL, prefix);
        }
        if (bytes.length == 16) {
            return new Cidr(true, IpBits.hi(bytes), IpBits.lo(bytes), prefix);
        }
        throw new IllegalArgumentException("address of " + bytes.length + " bytes");
    }

    /** Whether this IPv4 range contains {@code v4} (the address as an unsigned 32-bit value in an int). */
    public boolean containsV4(int v4) {
        if (ipv6) {
            return false;
        }
        long mask = prefix == 0 ? 0 : (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
        return ((v4 & 0xFFFFFFFFL) & mask) == lo;
    }

    /** Whether this IPv6 range contains the address {@code (hi, lo)}. */
    public boolean containsV6(long addrHi, long addrLo) {
        return ipv6 && (addrHi & maskHi(prefix)) == hi && (addrLo & maskLo(prefix)) == lo;
    }

    private static long maskHi(int prefix) {
        if (prefix >= 64) {
            return -1L;
        }
        return prefix == 0 ? 0 : -1L << (64 - prefix);
    }

    private static long maskLo(int prefix) {
        if (prefix <= 64) {
            return 0;
        }
        return prefix == 128 ? -1L : -1L << (128 - prefix);
    }

    /**
     * Bytes of an IPv4 or IPv6 literal, or null. {@link InetAddress#getByName} would resolve names, so the
     * text is checked to look like a literal first.
     */
    static byte[] literal(String s) {
        if (s.isEmpty()) {
            return null;
        }
        boolean colon = s.indexOf(':') >= 0;
        if (colon) {
            if (!s.toLowerCase(Locale.ROOT).chars().allMatch(c -> c == ':' || c == '.'
                    || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return null;
            }
        } else {
            String[] parts = s.split("\\.", -1);
            if (parts.length != 4) {
                return null;
            }
            for (String p : parts) {
                if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit) || Integer.parseInt(p) > 255) {
                    return null;
                }
            }
        }
        try {
            InetAddress a = InetAddress.getByName(s);
            byte[] b = a.getAddress();
            // Java turns ::ffff:a.b.c.d into an Inet4Address; keep what was written, the family matters here.
            if (colon && b.length == 4) {
                byte[] v6 = new byte[16];
                v6[10] = (byte) 0xFF;
                v6[11] = (byte) 0xFF;
                System.arraycopy(b, 0, v6, 12, 4);
                return v6;
            }
            return b;
        } catch (UnknownHostException | RuntimeException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        if (!ipv6) {
            return IpBits.v4String((int) lo) + "/" + prefix;
        }
        return IpBits.v6String(hi, lo) + "/" + prefix;
    }
}
