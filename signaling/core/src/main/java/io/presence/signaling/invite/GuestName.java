package io.presence.signaling.invite;

import java.text.Normalizer;

/**
 * The display name a guest chooses: Unicode NFC, trimmed, 1..{@value #MAX_CODE_POINTS} characters (code points,
 * so an emoji is one), with no control or format characters (Unicode Cc, Cf: among them the bidi overrides that
 * would let a name display as another) and not only spaces. A guest is shown to people who never vetted them:
 * the name must look like what it is.
 */
final class GuestName {
    static final int MAX_CODE_POINTS = 40;
    static final String RULE = "displayName must be 1.." + MAX_CODE_POINTS + " characters after trimming, not only "
            + "spaces, with no control or format characters";

    private GuestName() {
    }

    /** The name as it is kept and shown, or null when {@code raw} breaks the rule. */
    static String valid(String raw) {
        if (raw == null) {
            return null;
        }
        String name = Normalizer.normalize(raw, Normalizer.Form.NFC).strip();
        int length = name.codePointCount(0, name.length());
        if (length == 0 || length > MAX_CODE_POINTS) {
            return null;
        }
        boolean visible = false;
        for (int i = 0; i < name.length(); ) {
            int cp = name.codePointAt(i);
            int type = Character.getType(cp);
            if (type == Character.CONTROL || type == Character.FORMAT) {
                return null;
            }
            visible |= !Character.isWhitespace(cp) && !Character.isSpaceChar(cp);
            i += Character.charCount(cp);
        }
        return visible ? name : null;
    }
}
