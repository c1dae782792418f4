package io.presence.signaling.avatar;

import io.presence.signaling.protocol.AvatarPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PixelAvatarTest {

    private static BufferedImage decode(byte[] png) throws IOException {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        assertTrue(image != null, "a PNG a standard decoder reads");
        return image;
    }

    @ParameterizedTest
    @ValueSource(ints = {16, 17, 64, 100, 512})
    void decodesToTheRequestedSizeWithThePixelsDrawn(int size) throws IOException {
        byte[] rgba = PixelAvatar.pixels(AvatarPath.Kind.ROOM, "r1", size);
        BufferedImage image = decode(PixelAvatar.png(AvatarPath.Kind.ROOM, "r1", size));
        assertEquals(size, image.getWidth());
        assertEquals(size, image.getHeight());
        for (int y = 0; y < size; y += 7) {
            for (int x = 0; x < size; x += 5) {
                int i = (y * size + x) * 4;
                int expected = (rgba[i + 3] & 0xff) << 24 | (rgba[i] & 0xff) << 16 | (rgba[i + 1] & 0xff) << 8
                        | (rgba[i + 2] & 0xff);
                assertEquals(Integer.toHexString(expected), Integer.toHexString(image.getRGB(x, y)), x + "," + y);
            }
        }
    }

    @Test
    void sameInputSameBytesAndDifferentIdsDiffer() {
        byte[] a = PixelAvatar.png(AvatarPath.Kind.USER, "ann", 64);
        assertArrayEquals(a, PixelAvatar.png(AvatarPath.Kind.USER, "ann", 64));
        assertFalse(Arrays.equals(a, PixelAvatar.png(AvatarPath.Kind.USER, "bob", 64)));
        assertFalse(Arrays.equals(a, PixelAvatar.png(AvatarPath.Kind.ROOM, "ann", 64)), "the kind is hashed too");
    }

    @Test
    void usersAreRoundRoomsAreBlocksWithRoundedCorners() throws IOException {
        BufferedImage user = decode(PixelAvatar.png(AvatarPath.Kind.USER, "ann", 64));
        BufferedImage room = decode(PixelAvatar.png(AvatarPath.Kind.ROOM, "ann", 64));
        assertEquals(0, user.getRGB(0, 0) >>> 24, "outside the circle is transparent");
        assertEquals(0, user.getRGB(6, 6) >>> 24);
        assertEquals(0, room.getRGB(0, 0) >>> 24, "a rounded corner");
        assertEquals(0xff, room.getRGB(6, 6) >>> 24, "a block is nearly square");
        assertEquals(0xff, room.getRGB(32, 1) >>> 24);
        assertEquals(0xff, user.getRGB(32, 32) >>> 24);
    }

    @Test
    void guestsShareOneSilhouetteInTheirOwnColour() {
        byte[] a = PixelAvatar.pixels(AvatarPath.Kind.GUEST, "g1", 50);
        byte[] b = PixelAvatar.pixels(AvatarPath.Kind.GUEST, "g2", 50);
        assertFalse(Arrays.equals(a, b), "coloured by id");
        boolean[] maskA = new boolean[50 * 50];
        boolean[] maskB = new boolean[50 * 50];
        for (int p = 0; p < maskA.length; p++) {
            maskA[p] = (a[p * 4] & 0xff) > 200 && (a[p * 4 + 1] & 0xff) > 200;
            maskB[p] = (b[p * 4] & 0xff) > 200 && (b[p * 4 + 1] & 0xff) > 200;
        }
        assertArrayEquals(maskA, maskB, "the same light silhouette");
    }

    @Test
    void patternsAreMirroredAndNeverNearlyEmpty() {
        for (int n = 0; n < 500; n++) {
            byte[] h = java.nio.ByteBuffer.allocate(8).putInt(n * 2654435761L > 0 ? n : -n).putInt(n).array();
            h[4] = (byte) n;
            h[5] = (byte) (n >> 3);
            boolean[][] cells = PixelAvatar.mirrored(h);
            int on = 0;
            for (boolean[] row : cells) {
                assertEquals(row[0], row[4]);
                assertEquals(row[1], row[3]);
                for (boolean c : row) {
                    on += c ? 1 : 0;
                }
            }
            assertTrue(on >= 4 && on <= 22, "cells on: " + on);
        }
    }

    @Test
    void foregroundAndBackgroundContrast() {
        for (int n = 0; n < 300; n++) {
            byte[] rgba = PixelAvatar.pixels(AvatarPath.Kind.ROOM, "id" + n, 20);
            int centre = colourAt(rgba, 20, 10, 10);
            int edge = colourAt(rgba, 20, 10, 1);
            java.util.Set<Integer> colours = new java.util.HashSet<>();
            for (int p = 0; p < 400; p++) {
                if ((rgba[p * 4 + 3] & 0xff) == 0xff) {
                    colours.add(colourAt(rgba, 20, p % 20, p / 20));
                }
            }
            assertEquals(2, colours.size(), "two colours, id" + n);
            Integer[] two = colours.toArray(new Integer[0]);
            double ratio = PixelAvatar.contrast(two[0], two[1]);
            assertTrue(ratio >= PixelAvatar.MIN_CONTRAST, "id" + n + ": " + ratio + " " + centre + " " + edge);
        }
    }

    private static int colourAt(byte[] rgba, int size, int x, int y) {
        int i = (y * size + x) * 4;
        return (rgba[i] & 0xff) << 16 | (rgba[i + 1] & 0xff) << 8 | (rgba[i + 2] & 0xff);
    }
}
