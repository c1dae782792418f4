package io.presence.signaling.protocol;

/**
 * Which avatar a member may show to the others. Every member's client fetches every other member's avatar, so an
 * avatar on someone else's server would tell that server each member's IP address (and when they are online). The
 * only avatars accepted are therefore served by this appliance: a path {@code /avatar/<id>}, which a client
 * resolves against the appliance's own origin. Absolute URLs of any scheme ({@code http:}, {@code https:},
 * {@code data:}, {@code javascript:}...), protocol-relative ones ({@code //host}, {@code /\host}), queries,
 * fragments, dots, percent-escapes and whitespace are all refused: the id is 1 to {@value #MAX_ID} letters,
 * digits, {@code -} or {@code _}, nothing else. The rule is the same in every room.
 */
public final class AvatarPath {

    public static final String PREFIX = "/avatar/";
    public static final int MAX_ID = 128;

    /** What an accepted value looks like, for error messages. */
    public static final String RULE = "must be a path on this server, " + PREFIX + "<id> (1.." + MAX_ID
            + " letters, digits, '-' or '_'); external URLs are not accepted";

    private AvatarPath() {
    }

    public static boolean isAcceptable(String value) {
        if (value == null || !value.startsWith(PREFIX)) {
            return false;
        }
        int length = value.length() - PREFIX.length();
        if (length < 1 || length > MAX_ID) {
            return false;
        }
        for (int i = PREFIX.length(); i < value.length(); i++) {
            char c = value.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'
                    || c == '_';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
