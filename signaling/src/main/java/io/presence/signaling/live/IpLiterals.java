package io.presence.signaling.live;

/**
 * Recognises IP address literals in SDP text without ever resolving a name (no DNS, unlike
 * {@link java.net.InetAddress#getByName}). Lenient on IPv6 form, strict on IPv4; used to classify, never to route.
 */
final class IpLiterals {

    private IpLiterals() {
    }

    /** Dotted-quad IPv4, each part 0..255 without leading zeros beyond a single 0. */
    static boolean isIpv4(String s) {
        int parts = 0;
        int i = 0;
        int n = s.length();
        while (i < n) {
            int start = i;
            int value = 0;
            while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                value = value * 10 + (s.charAt(i) - '0');
                if (i - start > 2) {
                    return false;
                }
                i++;
            }
            if (i == start || value > 255 || (i - start > 1 && s.charAt(start) == '0')) {
                return false;
            }
            parts++;
            if (i == n) {
                break;
            }
            if (s.charAt(i) != '.' || parts == 4) {
                return false;
            }
            i++;
            if (i == n) {
                return false;
            }
        }
        return parts == 4;
    }

    /** IPv6 literal (hex groups, at least two colons, optional embedded IPv4 and {@code %zone}); no brackets. */
    static boolean isIpv6(String s) {
        int zone = s.indexOf('%');
        String body = zone >= 0 ? s.substring(0, zone) : s;
        if (body.length() < 2 || body.length() > 45) {
            return false;
        }
        int colons = 0;
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == ':') {
                colons++;
            } else if (!(Character.digit(c, 16) >= 0 || c == '.')) {
                return false;
            }
        }
        if (colons < 2 || colons > 7 || body.contains(":::")) {
            return false;
        }
        int lastColon = body.lastIndexOf(':');
        String tail = body.substring(lastColon + 1);
        return tail.indexOf('.') < 0 || isIpv4(tail);
    }

    static boolean isIp(String s) {
        return isIpv4(s) || isIpv6(s);
    }

    /** An mDNS hostname as browsers use to hide host addresses ({@code <uuid>.local}). */
    static boolean isMdnsName(String s) {
        return s.length() > 6 && s.regionMatches(true, s.length() - 6, ".local", 0, 6);
    }

    /** The unspecified address of the literal's family: {@code ::} for IPv6, else {@code 0.0.0.0}. */
    static String unspecifiedFor(String address) {
        return isIpv6(address) ? "::" : "0.0.0.0";
    }

    /**
     * Whether the address literal {@code needle} occurs in {@code text} as a whole address, not as part of a
     * longer one: an IPv4 needle must not touch digits or dots ({@code ::ffff:192.0.2.1} and {@code 192.0.2.1:80}
     * do contain {@code 192.0.2.1}); an IPv6 needle must not touch hex digits, colons or dots. Errs on the side of
     * reporting a match.
     */
    static boolean containsAddressToken(String text, String needle) {
        boolean v6 = needle.indexOf(':') >= 0;
        int from = 0;
        while (true) {
            int at = text.indexOf(needle, from);
            if (at < 0) {
                return false;
            }
            int end = at + needle.length();
            if ((at == 0 || !extendsAddress(text.charAt(at - 1), v6))
                    && (end == text.length() || !extendsAddress(text.charAt(end), v6))) {
                return true;
            }
            from = at + 1;
        }
    }

    private static boolean extendsAddress(char c, boolean v6) {
        if (v6) {
            return Character.digit(c, 16) >= 0 || c == ':' || c == '.';
        }
        return (c >= '0' && c <= '9') || c == '.';
    }
}
