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

    /**
     * The bytes of a strict IPv4 (4 bytes) or IPv6 (16 bytes; {@code ::} compression and a trailing dotted IPv4 part
     * allowed, no zone id, no brackets) literal, or null. Parses by hand: {@link java.net.InetAddress#getByName}
     * would send anything it cannot parse to DNS.
     */
    static byte[] parse(String s) {
        if (isIpv4(s)) {
            return ipv4Bytes(s);
        }
        if (s.indexOf('%') >= 0 || !isIpv6(s)) {
            return null;
        }
        int[] groups = new int[8];
        int count = 0;
        int gap = -1;
        int i = 0;
        int n = s.length();
        if (s.startsWith("::")) {
            gap = 0;
            i = 2;
        } else if (s.startsWith(":")) {
            return null;
        }
        while (i < n) {
            int end = s.indexOf(':', i);
            String part = end < 0 ? s.substring(i) : s.substring(i, end);
            if (part.indexOf('.') >= 0) {
                if (end >= 0 || count > 6) {
                    return null;
                }
                byte[] v4 = ipv4Bytes(part);
                groups[count++] = ((v4[0] & 0xff) << 8) | (v4[1] & 0xff);
                groups[count++] = ((v4[2] & 0xff) << 8) | (v4[3] & 0xff);
                i = n;
                break;
            }
            if (part.isEmpty() || part.length() > 4 || count == 8) {
                return null;
            }
            groups[count++] = Integer.parseInt(part, 16);
            if (end < 0) {
                i = n;
                break;
            }
            if (end + 1 < n && s.charAt(end + 1) == ':') {
                if (gap >= 0) {
                    return null;
                }
                gap = count;
                i = end + 2;
            } else if (end + 1 == n) {
                return null;
            } else {
                i = end + 1;
            }
        }
        if (gap < 0 ? count != 8 : count > 7) {
            return null;
        }
        byte[] out = new byte[16];
        int tail = count - (gap < 0 ? count : gap);
        for (int g = 0; g < count; g++) {
            int at = gap >= 0 && g >= gap ? 8 - tail + (g - gap) : g;
            out[2 * at] = (byte) (groups[g] >> 8);
            out[2 * at + 1] = (byte) groups[g];
        }
        return out;
    }

    /** The RFC 5952 text of an address: dotted quad, or lower-case IPv6 with the longest zero run as {@code ::}. */
    static String format(java.net.InetAddress address) {
        byte[] b = address.getAddress();
        if (b.length == 4) {
            return address.getHostAddress();
        }
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLength - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }

    private static byte[] ipv4Bytes(String s) {
        String[] parts = s.split("\\.");
        byte[] out = new byte[4];
        for (int k = 0; k < 4; k++) {
            out[k] = (byte) Integer.parseInt(parts[k]);
        }
        return out;
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

}
