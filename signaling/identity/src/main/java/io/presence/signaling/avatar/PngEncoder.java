package io.presence.signaling.avatar;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Writes an 8-bit RGBA image as PNG (RFC 2083): signature, IHDR, one IDAT, IEND. Written by hand rather than with
 * ImageIO so the bytes depend on nothing but the pixels and the fixed deflate level: the same avatar is the same
 * bytes on every start, which its ETag relies on. Each row after the first is filtered with {@code Up}, which
 * turns the repeated rows of a pixel avatar into zeros that deflate to almost nothing.
 */
final class PngEncoder {
    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final int FILTER_NONE = 0;
    private static final int FILTER_UP = 2;
    private static final int COLOUR_RGBA = 6;
    /** zlib's default: the Up-filtered rows compress nearly as well as at level 9, in a fraction of the time. */
    private static final int LEVEL = 6;

    private PngEncoder() {
    }

    /** @param rgba {@code width * height * 4} bytes, rows top to bottom */
    static byte[] encode(int width, int height, byte[] rgba) {
        int stride = width * 4;
        byte[] filtered = new byte[height * (stride + 1)];
        for (int y = 0; y < height; y++) {
            int out = y * (stride + 1);
            int row = y * stride;
            filtered[out] = (byte) (y == 0 ? FILTER_NONE : FILTER_UP);
            for (int i = 0; i < stride; i++) {
                int above = y == 0 ? 0 : rgba[row - stride + i];
                filtered[out + 1 + i] = (byte) (rgba[row + i] - above);
            }
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream(1024);
        png.writeBytes(SIGNATURE);
        byte[] header = new byte[13];
        putInt(header, 0, width);
        putInt(header, 4, height);
        header[8] = 8;
        header[9] = COLOUR_RGBA;
        chunk(png, "IHDR", header);
        chunk(png, "IDAT", deflate(filtered));
        chunk(png, "IEND", new byte[0]);
        return png.toByteArray();
    }

    private static byte[] deflate(byte[] data) {
        Deflater deflater = new Deflater(LEVEL);
        try {
            deflater.setInput(data);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, data.length / 32));
            byte[] buffer = new byte[8192];
            while (!deflater.finished()) {
                out.write(buffer, 0, deflater.deflate(buffer));
            }
            return out.toByteArray();
        } finally {
            deflater.end();
        }
    }

    private static void chunk(ByteArrayOutputStream png, String type, byte[] data) {
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        byte[] length = new byte[4];
        putInt(length, 0, data.length);
        png.writeBytes(length);
        png.writeBytes(typeBytes);
        png.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        byte[] sum = new byte[4];
        putInt(sum, 0, (int) crc.getValue());
        png.writeBytes(sum);
    }

    private static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }
}
