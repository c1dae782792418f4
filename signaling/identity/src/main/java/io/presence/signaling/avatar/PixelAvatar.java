package io.presence.signaling.avatar;

import io.presence.signaling.protocol.AvatarPath;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Draws the appliance's pixel avatars, in the spirit of TinyAvatar: SHA-256 of {@code kind + ":" + id} chooses a
 * hue, a foreground and background colour of that hue, and a 5×5 pattern mirrored around its middle column. Users
 * are round, rooms a block with rounded corners, guests a fixed silhouette on a colour from their id. The same
 * input gives the same pixels and (through {@link PngEncoder}) the same bytes.
 *
 * <p>The foreground is darkened until it has a WCAG contrast of at least {@value #MIN_CONTRAST}:1 with the
 * background, so a yellow or cyan hue stays legible. Stateless and thread-safe.
 */
final class PixelAvatar {
    static final int GRID = 5;
    static final double MIN_CONTRAST = 3.0;
    /** The guest silhouette: a head over shoulders, the same for every guest (only the colour differs). */
    private static final String[] GUEST = {
            ".###.",
            ".###.",
            "..#..",
            "#####",
            "#####"};

    private PixelAvatar() {
    }

    /** The PNG of avatar {@code id} of {@code kind}, {@code size}×{@code size} pixels. */
    static byte[] png(AvatarPath.Kind kind, String id, int size) {
        return PngEncoder.encode(size, size, pixels(kind, id, size));
    }

    /** The RGBA pixels, rows top to bottom. */
    static byte[] pixels(AvatarPath.Kind kind, String id, int size) {
        byte[] h = sha256(kind.segment() + ":" + id);
        double hue = (((h[0] & 0xff) << 8) | (h[1] & 0xff)) % 360;
        double saturation = 0.50 + (h[2] & 0xff) / 255.0 * 0.25;
        double lightness = 0.36 + (h[3] & 0xff) / 255.0 * 0.10;
        int light = rgb(hue, 0.30, 0.92);
        int strong = rgb(hue, saturation, lightness);
        while (contrast(strong, light) < MIN_CONTRAST && lightness > 0.05) {
            lightness -= 0.03;
            strong = rgb(hue, saturation, lightness);
        }
        boolean[][] cells;
        int fg;
        int bg;
        if (kind == AvatarPath.Kind.GUEST) {
            cells = guest();
            fg = light;
            bg = strong;
        } else {
            cells = mirrored(h);
            fg = strong;
            bg = light;
        }
        boolean round = kind != AvatarPath.Kind.ROOM;
        // The grid fits inside the circle of a round avatar; a block has room for a larger one.
        double side = size * (round ? 0.60 : 0.70);
        double offset = (size - side) / 2;
        double c = size / 2.0;
        double corner = size / 6.0;
        byte[] out = new byte[size * size * 4];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double px = x + 0.5;
                double py = y + 0.5;
                int colour = bg;
                int gx = (int) Math.floor((px - offset) * GRID / side);
                int gy = (int) Math.floor((py - offset) * GRID / side);
                if (gx >= 0 && gx < GRID && gy >= 0 && gy < GRID && cells[gy][gx]) {
                    colour = fg;
                }
                double coverage = round ? c - distance(px - c, py - c) + 0.5
                        : corner - distance(Math.max(Math.abs(px - c) - (c - corner), 0),
                                Math.max(Math.abs(py - c) - (c - corner), 0)) + 0.5;
                int i = (y * size + x) * 4;
                out[i] = (byte) (colour >>> 16);
                out[i + 1] = (byte) (colour >>> 8);
                out[i + 2] = (byte) colour;
                out[i + 3] = (byte) Math.round(Math.max(0, Math.min(1, coverage)) * 255);
            }
        }
        return out;
    }

    /** Math.hypot guards against overflow we cannot have here, at many times the cost. */
    private static double distance(double dx, double dy) {
        return Math.sqrt(dx * dx + dy * dy);
    }

    /** 15 bits choose the left three columns; the right two mirror the left two. Never nearly empty or full. */
    static boolean[][] mirrored(byte[] h) {
        int bits = ((h[4] & 0xff) << 8 | (h[5] & 0xff)) & 0x7fff;
        int set = Integer.bitCount(bits);
        if (set < 4 || set > 12) {
            bits = (bits ^ 0x5a5a) & 0x7fff;
        }
        boolean[][] cells = new boolean[GRID][GRID];
        for (int y = 0; y < GRID; y++) {
            for (int x = 0; x < 3; x++) {
                boolean on = (bits >>> (y * 3 + x) & 1) != 0;
                cells[y][x] = on;
                cells[y][GRID - 1 - x] = on;
            }
        }
        return cells;
    }

    private static boolean[][] guest() {
        boolean[][] cells = new boolean[GRID][GRID];
        for (int y = 0; y < GRID; y++) {
            for (int x = 0; x < GRID; x++) {
                cells[y][x] = GUEST[y].charAt(x) == '#';
            }
        }
        return cells;
    }

    /** HSL (hue in degrees, saturation and lightness 0..1) to 0xRRGGBB. */
    static int rgb(double hue, double s, double l) {
        double chroma = (1 - Math.abs(2 * l - 1)) * s;
        double h = hue / 60;
        double x = chroma * (1 - Math.abs(h % 2 - 1));
        double r = 0;
        double g = 0;
        double b = 0;
        if (h < 1) {
            r = chroma;
            g = x;
        } else if (h < 2) {
            r = x;
            g = chroma;
        } else if (h < 3) {
            g = chroma;
            b = x;
        } else if (h < 4) {
            g = x;
            b = chroma;
        } else if (h < 5) {
            r = x;
            b = chroma;
        } else {
            r = chroma;
            b = x;
        }
        double m = l - chroma / 2;
        return channel(r + m) << 16 | channel(g + m) << 8 | channel(b + m);
    }

    /** WCAG 2 contrast ratio of two 0xRRGGBB colours, 1..21. */
    static double contrast(int a, int b) {
        double la = luminance(a);
        double lb = luminance(b);
        return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
    }

    private static double luminance(int rgb) {
        return 0.2126 * linear(rgb >>> 16 & 0xff) + 0.7152 * linear(rgb >>> 8 & 0xff) + 0.0722 * linear(rgb & 0xff);
    }

    private static double linear(int channel) {
        double c = channel / 255.0;
        return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    }

    private static int channel(double v) {
        return (int) Math.round(Math.max(0, Math.min(1, v)) * 255);
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
