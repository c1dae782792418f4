package io.presence.signaling.live;

/**
 * Whether a string is an ICE candidate by the RFC 8839 §5.1 grammar, with exactly the rules of
 * {@link IceCandidate#parse} (single spaces, visible characters, foundation, component, transport, priority,
 * address, port, {@code typ}, type, then name/value pairs with {@code raddr} an address and {@code rport} a port)
 * but in one pass over the string, without splitting it into tokens: this check runs for every trickled
 * candidate a call relays, while the parsed form is only needed in privacy mode. {@code CandidateGrammarTest}
 * checks that both agree on fuzzed input.
 */
final class CandidateGrammar {
    private static final int FIXED_FIELDS = 8;

    private CandidateGrammar() {
    }

    static boolean matches(String value) {
        if (value.length() > SdpValidator.MAX_CANDIDATE_BYTES || !value.startsWith(IceCandidate.PREFIX)) {
            return false;
        }
        int n = value.length();
        int start = IceCandidate.PREFIX.length();
        int index = 0;
        int nameStart = 0;
        int nameEnd = 0;
        for (;;) {
            int end = value.indexOf(' ', start);
            if (end < 0) {
                end = n;
            }
            if (end == start || !allVisible(value, start, end)) {
                return false;
            }
            boolean ok;
            if (index < FIXED_FIELDS) {
                ok = fixedField(index, value, start, end);
            } else if ((index - FIXED_FIELDS) % 2 == 0) {
                ok = isToken(value, start, end);
                nameStart = start;
                nameEnd = end;
            } else {
                ok = extensionValue(value, nameStart, nameEnd, start, end);
            }
            if (!ok) {
                return false;
            }
            index++;
            if (end == n) {
                return index >= FIXED_FIELDS && (index - FIXED_FIELDS) % 2 == 0;
            }
            start = end + 1;
        }
    }

    private static boolean fixedField(int index, String s, int from, int to) {
        return switch (index) {
            case 0 -> to - from <= 32 && isFoundation(s, from, to);
            case 1 -> digits(s, from, to, 1, 3);
            case 2, 7 -> isToken(s, from, to);
            case 3 -> digits(s, from, to, 1, 10);
            case 4 -> isAddress(s, from, to);
            case 5 -> isPort(s, from, to);
            default -> to - from == 3 && s.startsWith("typ", from);
        };
    }

    private static boolean extensionValue(String s, int nameFrom, int nameTo, int from, int to) {
        if (is(s, nameFrom, nameTo, "raddr")) {
            return isAddress(s, from, to);
        }
        if (is(s, nameFrom, nameTo, "rport")) {
            return isPort(s, from, to);
        }
        return true;
    }

    private static boolean is(String s, int from, int to, String word) {
        return to - from == word.length() && s.startsWith(word, from);
    }

    /** A host name by {@link IceCandidate}'s rule needs no copy; only other forms (IPv6) are cut out for IpLiterals. */
    private static boolean isAddress(String s, int from, int to) {
        return isHostName(s, from, to) || IpLiterals.isIp(s.substring(from, to));
    }

    private static boolean isHostName(String s, int from, int to) {
        char first = s.charAt(from);
        if (to - from > 253 || first == '.' || first == '-') {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (!(isAlnum(c) || c == '.' || c == '-' || c == '_')) {
                return false;
            }
        }
        return true;
    }

    private static boolean isPort(String s, int from, int to) {
        if (!digits(s, from, to, 1, 5)) {
            return false;
        }
        int port = 0;
        for (int i = from; i < to; i++) {
            port = port * 10 + (s.charAt(i) - '0');
        }
        return port <= 65535;
    }

    private static boolean digits(String s, int from, int to, int min, int max) {
        if (to - from < min || to - from > max) {
            return false;
        }
        for (int i = from; i < to; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static boolean isFoundation(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (!(isAlnum(c) || c == '+' || c == '/')) {
                return false;
            }
        }
        return true;
    }

    private static boolean isToken(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (!(isAlnum(c) || "-._~+!#$%&'*^`{|}".indexOf(c) >= 0)) {
                return false;
            }
        }
        return true;
    }

    private static boolean allVisible(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                return false;
            }
        }
        return true;
    }

    private static boolean isAlnum(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }
}
