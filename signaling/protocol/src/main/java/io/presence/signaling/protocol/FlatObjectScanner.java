package io.presence.signaling.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The decoder's fastest path, in front of {@link FlatObject#parse}: a flat object whose names and string values are
 * printable ASCII without escapes, whose numbers are plain integers of at most 18 digits, read straight from the
 * bytes. That is every request a client library writes for a relayed signal or a chat line in practice; creating
 * and bootstrapping a Jackson parser per frame cost more than the rest of decoding one. Anything else (an escape, a
 * byte above 0x7E or below 0x20 in a string, a fraction or exponent, a leading zero, {@code -0}, nesting, a syntax
 * error) is not judged here: {@link #scan} returns null and the streaming parser, then the tree, take the frame as
 * before. For the frames it does accept the fields equal the streaming parser's ({@code FlatObjectScannerTest}
 * and {@code DecoderFuzzTest} compare them).
 */
final class FlatObjectScanner {
    /** 18 digits always fit a long; longer integers are left to Jackson. */
    private static final int MAX_DIGITS = 18;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;

    private final byte[] b;
    private final int end;
    private int p;

    private FlatObjectScanner(byte[] frame, int offset, int length) {
        this.b = frame;
        this.p = offset;
        this.end = offset + length;
    }

    /** The frame's fields, or null when the frame is not in the simple form (never throws). */
    static FlatObject scan(byte[] frame, int offset, int length) {
        return new FlatObjectScanner(frame, offset, length).object();
    }

    private FlatObject object() {
        skipSpace();
        if (!take('{')) {
            return null;
        }
        FlatObject o = FlatObject.empty();
        skipSpace();
        if (!take('}')) {
            do {
                skipSpace();
                String name = string();
                if (name == null) {
                    return null;
                }
                skipSpace();
                if (!take(':')) {
                    return null;
                }
                skipSpace();
                JsonNode value = value();
                if (value == null || !o.add(name, value)) {
                    return null;
                }
                skipSpace();
            } while (take(','));
            if (!take('}')) {
                return null;
            }
        }
        skipSpace();
        return p == end ? o : null;
    }

    private JsonNode value() {
        if (p == end) {
            return null;
        }
        byte c = b[p];
        if (c == '"') {
            String s = string();
            return s == null ? null : TextNode.valueOf(s);
        }
        if (c == '-' || (c >= '0' && c <= '9')) {
            return integer();
        }
        if (word("true")) {
            return BooleanNode.TRUE;
        }
        if (word("false")) {
            return BooleanNode.FALSE;
        }
        return word("null") ? NullNode.instance : null;
    }

    /** A string of printable ASCII without escapes, or null. */
    private String string() {
        if (!take('"')) {
            return null;
        }
        int start = p;
        // Eight bytes at a time while none of them is special (quote, backslash, control, DEL or non-ASCII).
        while (end - p >= Long.BYTES && !special((long) LONGS.get(b, p))) {
            p += Long.BYTES;
        }
        while (p < end) {
            byte c = b[p];
            if (c == '"') {
                String s = KnownStrings.find(b, start, p - start);
                if (s == null) {
                    s = new String(b, start, p - start, StandardCharsets.ISO_8859_1);
                }
                p++;
                return s;
            }
            if (c < 0x20 || c == '\\' || c == 0x7f) {
                return null;
            }
            p++;
        }
        return null;
    }

    /** {@code -?[1-9][0-9]*} or {@code 0}, ending at a delimiter; IntNode when it fits an int, as Jackson reads it. */
    private JsonNode integer() {
        boolean negative = take('-');
        int start = p;
        long value = 0;
        while (p < end && b[p] >= '0' && b[p] <= '9') {
            value = value * 10 + (b[p] - '0');
            p++;
            if (p - start > MAX_DIGITS) {
                return null;
            }
        }
        int digits = p - start;
        if (digits == 0 || (b[start] == '0' && (digits > 1 || negative)) || !delimiterNext()) {
            return null;
        }
        value = negative ? -value : value;
        return value == (int) value ? IntNode.valueOf((int) value) : LongNode.valueOf(value);
    }

    private boolean word(String w) {
        int n = w.length();
        if (end - p < n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (b[p + i] != w.charAt(i)) {
                return false;
            }
        }
        p += n;
        if (delimiterNext()) {
            return true;
        }
        // Not this word after all (e.g. "truefalse"): the next alternative must start where this one did.
        p -= n;
        return false;
    }

    /** After a number or literal: whitespace, a comma or the closing brace (else e.g. {@code 1.5}, {@code truex}). */
    private boolean delimiterNext() {
        if (p == end) {
            return false;
        }
        byte c = b[p];
        return c == ',' || c == '}' || isSpace(c);
    }

    private boolean take(char c) {
        if (p < end && b[p] == c) {
            p++;
            return true;
        }
        return false;
    }

    private void skipSpace() {
        while (p < end && isSpace(b[p])) {
            p++;
        }
    }

    /** Whether any byte of {@code w} is '"', '\\', below 0x20 or at least 0x7F (SWAR: zero-byte tests). */
    private static boolean special(long w) {
        long quote = w ^ (ONES * '"');
        long backslash = w ^ (ONES * '\\');
        long del = w ^ (ONES * 0x7f);
        return ((((quote - ONES) & ~quote) | ((backslash - ONES) & ~backslash) | ((del - ONES) & ~del)
                | (w - ONES * 0x20) | w) & HIGH_BITS) != 0;
    }

    private static boolean isSpace(byte c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    }
}
