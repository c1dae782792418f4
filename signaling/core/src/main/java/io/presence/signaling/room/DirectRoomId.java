package io.presence.signaling.room;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The id of the direct room of two users: the same for the pair whichever of them asks, so that finding it and
 * creating it are one step and two users asking at once meet in one room. "d" and 26 base32 characters of the
 * SHA-256 of the sorted pair (130 bits): 27 characters, a length no random room id has (22), and not reversible
 * to the pair.
 */
public final class DirectRoomId {
    private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
    static final int CHARS = 26;

    private DirectRoomId() {
    }

    public static String of(String userA, String userB) {
        if (userA.equals(userB)) {
            throw new IllegalArgumentException("a direct room is between two users");
        }
        String first = userA.compareTo(userB) < 0 ? userA : userB;
        String second = first.equals(userA) ? userB : userA;
        byte[] hash;
        try {
            // The first id's length up front: no two pairs share an input, whatever characters ids hold.
            hash = MessageDigest.getInstance("SHA-256").digest((first.length() + ":" + first + second)
                    .getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
        StringBuilder id = new StringBuilder(CHARS + 1).append('d');
        int buffer = 0;
        int bits = 0;
        int i = 0;
        while (id.length() < CHARS + 1) {
            if (bits < 5) {
                buffer = (buffer << 8) | (hash[i++] & 0xff);
                bits += 8;
            }
            bits -= 5;
            id.append(BASE32[(buffer >>> bits) & 31]);
        }
        return id.toString();
    }
}
