package io.presence.signaling.protocol;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;

/**
 * Which avatar a member may show to the others, and the one rule for the avatar paths this appliance serves. Every
 * member's client fetches every other member's avatar, so an avatar on someone else's server would tell that server
 * each member's IP address (and when they are online). The only avatars accepted are therefore the appliance's own
 * pixel avatars: {@code /avatar/<kind>/<id>.png} with kind {@code user}, {@code room} or {@code guest}, which a
 * client resolves against the appliance's own origin. Absolute URLs of any scheme ({@code http:}, {@code https:},
 * {@code data:}, {@code javascript:}...), protocol-relative ones ({@code //host}, {@code /\host}), queries,
 * fragments, dots other than the one before {@code png}, percent-escapes and whitespace are all refused: the id is
 * 1 to {@value #MAX_ID} letters, digits, {@code -} or {@code _}, nothing else. The rule is the same in every room,
 * and the avatar endpoint serves exactly the paths it accepts.
 */
public final class AvatarPath {

    public static final String PREFIX = "/avatar/";
    public static final String SUFFIX = ".png";
    public static final int MAX_ID = 128;

    /** What an accepted value looks like, for error messages. */
    public static final String RULE = "must be a path on this server, " + PREFIX + "{user|room|guest}/<id>" + SUFFIX
            + " (<id>: 1.." + MAX_ID + " letters, digits, '-' or '_'); external URLs are not accepted";

    /** The three avatar styles: round for users, a rounded block for rooms, a silhouette for guests. */
    public enum Kind {
        USER, ROOM, GUEST;

        /** The path segment: {@code user}, {@code room}, {@code guest}. */
        public String segment() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** An accepted avatar path, taken apart. */
    public record Parsed(Kind kind, String id) {
    }

    private AvatarPath() {
    }

    public static boolean isAcceptable(String value) {
        return parse(value) != null;
    }

    /** The kind and id of an acceptable avatar path, or null when {@code value} is not one. */
    public static Parsed parse(String value) {
        if (value == null || !value.startsWith(PREFIX) || !value.endsWith(SUFFIX)) {
            return null;
        }
        int slash = value.indexOf('/', PREFIX.length());
        if (slash < 0) {
            return null;
        }
        Kind kind = kindOf(value.substring(PREFIX.length(), slash));
        String id = value.substring(slash + 1, value.length() - SUFFIX.length());
        return kind != null && isId(id) ? new Parsed(kind, id) : null;
    }

    /** The path of avatar {@code id} of {@code kind}; throws when {@code id} breaks the character rule. */
    public static String of(Kind kind, String id) {
        if (!isId(id)) {
            throw new IllegalArgumentException("avatar id " + RULE);
        }
        return PREFIX + kind.segment() + "/" + id + SUFFIX;
    }

    /**
     * The avatar a user shows when they chose none. User ids may hold any character ({@code dev:Ann},
     * {@code oidc:https://…}), so the path id is an encoding of the id that satisfies the rule whatever its length:
     * the first 16 bytes of SHA-256 of its UTF-8 bytes, base64url (22 characters). Stable across restarts and
     * servers; it reveals nothing the member list does not show already.
     */
    public static String forUser(String userId) {
        return of(Kind.USER, idOf(userId));
    }

    /** A guest's avatar: the fixed guest style, coloured by the user id. */
    public static String forGuest(String userId) {
        return of(Kind.GUEST, idOf(userId));
    }

    /** The path id of {@code userId} (see {@link #forUser}). */
    public static String idOf(String userId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(userId.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(digest, 16));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static Kind kindOf(String segment) {
        for (Kind k : Kind.values()) {
            if (k.segment().equals(segment)) {
                return k;
            }
        }
        return null;
    }

    private static boolean isId(String id) {
        if (id == null || id.isEmpty() || id.length() > MAX_ID) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'
                    || c == '_';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
