package io.presence.signaling.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable, reusable UTF-8 output buffer that writes JSON the way Jackson's {@code UTF8JsonGenerator} does with
 * the settings {@link ProtocolJson} uses: the same escapes (quote, backslash, {@code b t f n r}, and a six-character
 * unicode escape with upper-case hex for the other control characters and for every UTF-16 surrogate, paired or
 * not), nothing else escaped, other non-ASCII as raw UTF-8. {@code ProtocolJsonTest} checks byte equality with Jackson. Exists so that the frames on the message hot
 * path are written without databind's per-call objects (serializer provider, generator, write contexts).
 *
 * <p>Not thread-safe: one per thread, reset before each frame.
 */
public final class JsonBytes {
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
    /** 0: copy as is; negative: a six-character unicode escape; otherwise the letter after the backslash. */
    private static final int[] ESCAPES = new int[128];

    static {
        for (int i = 0; i < 32; i++) {
            ESCAPES[i] = -1;
        }
        ESCAPES['"'] = '"';
        ESCAPES['\\'] = '\\';
        ESCAPES['\b'] = 'b';
        ESCAPES['\t'] = 't';
        ESCAPES['\f'] = 'f';
        ESCAPES['\n'] = 'n';
        ESCAPES['\r'] = 'r';
    }

    /** A buffer that grew beyond this for one huge frame is dropped on reset rather than kept per thread. */
    static final int RETAIN_BYTES = 64 * 1024;

    private final int initialCapacity;
    private byte[] buf;
    private int len;

    public JsonBytes(int initialCapacity) {
        this.initialCapacity = initialCapacity;
        buf = new byte[initialCapacity];
    }

    public byte[] array() {
        return buf;
    }

    public int length() {
        return len;
    }

    public void reset() {
        len = 0;
        if (buf.length > RETAIN_BYTES) {
            buf = new byte[initialCapacity];
        }
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buf, len);
    }

    void raw(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buf, len, bytes.length);
        len += bytes.length;
    }

    void raw(byte b) {
        ensure(1);
        buf[len++] = b;
    }

    void number(long v) {
        if (v < 0) {
            if (v == Long.MIN_VALUE) {
                raw(Long.toString(v).getBytes(StandardCharsets.US_ASCII));
                return;
            }
            raw((byte) '-');
            v = -v;
        }
        int digits = 1;
        for (long t = v; t >= 10; t /= 10) {
            digits++;
        }
        ensure(digits);
        for (int i = len + digits - 1; i >= len; i--) {
            buf[i] = (byte) ('0' + (int) (v % 10));
            v /= 10;
        }
        len += digits;
    }

    void bool(boolean v) {
        raw(v ? TRUE : FALSE);
    }

    private static final byte[] TRUE = "true".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FALSE = "false".getBytes(StandardCharsets.US_ASCII);

    /**
     * A quoted, escaped string. Room is reserved for the common case (one byte per char) and topped up when a
     * character needs more (at most 6: a control character or surrogate as an escape), so the exactly-sized
     * buffers used for event bodies do not have to be sized for the worst case.
     */
    void string(String s) {
        int n = s.length();
        ensure(n + 2);
        byte[] b = buf;
        int at = len;
        b[at++] = '"';
        // Fast lane: the plain ASCII prefix (usually the whole string) needs no checks beyond the one ensure above.
        int i = 0;
        for (; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 128 || ESCAPES[c] != 0) {
                break;
            }
            b[at++] = (byte) c;
        }
        for (; i < n; i++) {
            char c = s.charAt(i);
            if (at + 7 + (n - i) > b.length) {
                len = at;
                ensure(7 + (n - i) + n / 2);
                b = buf;
            }
            if (c < 128) {
                int e = ESCAPES[c];
                if (e == 0) {
                    b[at++] = (byte) c;
                } else if (e > 0) {
                    b[at++] = '\\';
                    b[at++] = (byte) e;
                } else {
                    b[at++] = '\\';
                    b[at++] = 'u';
                    b[at++] = '0';
                    b[at++] = '0';
                    b[at++] = HEX[c >> 4];
                    b[at++] = HEX[c & 0xF];
                }
            } else if (c < 0x800) {
                b[at++] = (byte) (0xC0 | (c >> 6));
                b[at++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isSurrogate(c)) {
                // Jackson's default (COMBINE_UNICODE_SURROGATES_IN_UTF8 off): each surrogate as its own escape,
                // paired or not.
                b[at++] = '\\';
                b[at++] = 'u';
                b[at++] = HEX[c >> 12];
                b[at++] = HEX[(c >> 8) & 0xF];
                b[at++] = HEX[(c >> 4) & 0xF];
                b[at++] = HEX[c & 0xF];
            } else {
                b[at++] = (byte) (0xE0 | (c >> 12));
                b[at++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                b[at++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        b[at++] = '"';
        len = at;
    }

    private void ensure(int more) {
        if (len + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
        }
    }
}
