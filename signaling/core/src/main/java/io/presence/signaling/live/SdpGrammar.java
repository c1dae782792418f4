package io.presence.signaling.live;

/**
 * Character classes and bounded forms of the SDP and ICE grammars (RFC 8866, RFC 8839) the relay-only rebuilding
 * accepts free text through. The identifier classes leave out {@code '.'}, {@code ':'} and {@code '%'}, so that no
 * dotted IPv4 address, IPv6 literal, zone id or host name with a dot fits in an identifier at all.
 */
final class SdpGrammar {

    private SdpGrammar() {
    }

    /** RFC 8839 ice-char: ALPHA / DIGIT / "+" / "/". */
    static boolean iceChars(String s, int min, int max) {
        if (s.length() < min || s.length() > max) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(isAlnum(c) || c == '+' || c == '/')) {
                return false;
            }
        }
        return true;
    }

    /**
     * RFC 8866 token-char without {@code '.'} and {@code '%'} ({@code ':'} is not a token char): identifiers such as
     * {@code mid}, {@code msid} ids and stream ids. Browsers use digits, UUIDs and {@code {uuid}}.
     */
    static boolean safeToken(String s, int min, int max) {
        if (s.length() < min || s.length() > max) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(isAlnum(c) || "!#$&'*+-^_`{|}~".indexOf(c) >= 0)) {
                return false;
            }
        }
        return true;
    }

    /** Letters, digits, {@code '-'} and {@code '_'}: names (codecs, feedback types, rids, attribute names). */
    static boolean word(String s, int min, int max) {
        if (s.length() < min || s.length() > max) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(isAlnum(c) || c == '-' || c == '_')) {
                return false;
            }
        }
        return true;
    }

    /** 1..{@code maxDigits} decimal digits with a value of at most {@code maxValue}. */
    static boolean number(String s, int maxDigits, long maxValue) {
        if (s.isEmpty() || s.length() > maxDigits) {
            return false;
        }
        long value = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
            value = value * 10 + (c - '0');
        }
        return value <= maxValue;
    }

    /** Only characters of {@code allowed} (plus letters and digits), {@code min..max} long. */
    static boolean alnumOr(String s, String allowed, int min, int max) {
        if (s.length() < min || s.length() > max) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(isAlnum(c) || allowed.indexOf(c) >= 0)) {
                return false;
            }
        }
        return true;
    }

    /** Splits at runs of spaces and tabs, ignoring them at both ends. */
    static String[] fields(String s) {
        String trimmed = s.strip();
        return trimmed.isEmpty() ? new String[0] : trimmed.split("[ \t]+");
    }

    static boolean isAlnum(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }
}
