package io.presence.net;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The little of ASN.1 DER that reading private keys needs: one tag-length-value at a time, and writing a
 * SEQUENCE around encoded elements. Definite lengths only (DER has no other kind).
 */
final class Der {
    static final int INTEGER = 0x02;
    static final int BIT_STRING = 0x03;
    static final int OCTET_STRING = 0x04;
    static final int NULL = 0x05;
    static final int OID = 0x06;
    static final int SEQUENCE = 0x30;
    /** Context-specific constructed tag [0]. */
    static final int CONTEXT_0 = 0xa0;

    /** rsaEncryption, 1.2.840.113549.1.1.1 */
    static final byte[] RSA_ENCRYPTION = {0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01};
    /** id-ecPublicKey, 1.2.840.10045.2.1 */
    static final byte[] EC_PUBLIC_KEY = {0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01};

    private Der() { }

    /** One element: its tag and the bytes of its value. */
    record Element(int tag, byte[] value) {
        /** The elements inside a constructed value (SEQUENCE, [0]...). */
        List<Element> children() throws Malformed {
            List<Element> out = new ArrayList<>();
            int[] at = {0};
            while (at[0] < value.length) {
                out.add(read(value, at));
            }
            return out;
        }

        byte[] encoded() {
            return encode(tag, value);
        }
    }

    /** Not DER: truncated, a length beyond the data, or an indefinite length. */
    static final class Malformed extends Exception {
        Malformed(String problem) {
            super(problem, null, false, false);
        }
    }

    /** The single element {@code der} holds; trailing bytes are malformed. */
    static Element parse(byte[] der) throws Malformed {
        int[] at = {0};
        Element e = read(der, at);
        if (at[0] != der.length) {
            throw new Malformed("trailing bytes after the DER structure");
        }
        return e;
    }

    private static Element read(byte[] der, int[] at) throws Malformed {
        int i = at[0];
        if (i + 2 > der.length) {
            throw new Malformed("truncated DER");
        }
        int tag = der[i++] & 0xff;
        int first = der[i++] & 0xff;
        long length;
        if (first < 0x80) {
            length = first;
        } else {
            int octets = first & 0x7f;
            if (octets == 0 || octets > 4 || i + octets > der.length) {
                throw new Malformed("bad DER length");
            }
            length = 0;
            for (int k = 0; k < octets; k++) {
                length = (length << 8) | (der[i++] & 0xff);
            }
        }
        if (length > der.length - i) {
            throw new Malformed("DER length beyond the data");
        }
        at[0] = i + (int) length;
        return new Element(tag, Arrays.copyOfRange(der, i, i + (int) length));
    }

    static byte[] encode(int tag, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(value.length + 6);
        out.write(tag);
        int n = value.length;
        if (n < 0x80) {
            out.write(n);
        } else {
            int octets = n > 0xffffff ? 4 : n > 0xffff ? 3 : n > 0xff ? 2 : 1;
            out.write(0x80 | octets);
            for (int k = octets - 1; k >= 0; k--) {
                out.write(n >>> (8 * k));
            }
        }
        out.writeBytes(value);
        return out.toByteArray();
    }

    static byte[] sequence(byte[]... encodedElements) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] e : encodedElements) {
            body.writeBytes(e);
        }
        return encode(SEQUENCE, body.toByteArray());
    }
}
