package io.presence.signaling.signin;

import java.util.regex.Pattern;

/**
 * What a token may name. A user id has no {@code :}, so no token can take an id of another provider's namespace
 * ({@code dev:Ann}); display names follow the development provider's rule (1..64 characters after trimming) and
 * refuse control characters, which would garble every member's list; a room id is what the server's own room ids
 * look like.
 */
public final class SignInNames {

    public static final int MAX_USER_ID = 64;
    public static final int MAX_DISPLAY_NAME = 64;
    public static final int MAX_ROOM_ID = 128;
    public static final String USER_ID_RULE = "1.." + MAX_USER_ID + " letters, digits, '.', '_', '-' or '@'";
    public static final String DISPLAY_NAME_RULE = "1.." + MAX_DISPLAY_NAME + " characters, no control characters";
    public static final String ROOM_ID_RULE = "1.." + MAX_ROOM_ID + " letters, digits, '_' or '-'";

    private static final Pattern USER_ID = Pattern.compile("[A-Za-z0-9._@-]{1," + MAX_USER_ID + "}");
    private static final Pattern ROOM_ID = Pattern.compile("[A-Za-z0-9_-]{1," + MAX_ROOM_ID + "}");

    private SignInNames() {
    }

    public static boolean isUserId(String s) {
        return s != null && USER_ID.matcher(s).matches();
    }

    public static boolean isRoomId(String s) {
        return s != null && ROOM_ID.matcher(s).matches();
    }

    /** The name as shown (trimmed), or null when it breaks the rule. */
    public static String displayName(String s) {
        if (s == null) {
            return null;
        }
        String name = s.strip();
        if (name.isEmpty() || name.length() > MAX_DISPLAY_NAME || name.codePoints().anyMatch(Character::isISOControl)) {
            return null;
        }
        return name;
    }
}
