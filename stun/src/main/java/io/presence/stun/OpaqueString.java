package io.presence.stun;

import java.text.Normalizer;

/**
 * The OpaqueString profile of PRECIS (RFC 8265 §4.2), which RFC 8489 §9.2.2 applies to passwords and realms
 * before they become a long-term key: every non-ASCII space becomes U+0020, then the string is put in
 * Unicode Normalization Form C. There is no case or width mapping: "TheMatrIX" and "thematrix" differ.
 *
 * <p>RFC 5389 used SASLprep instead, which also maps compatibility characters (e.g. "Ⅸ" to "IX"). Clients
 * in the field send ASCII passwords (TURN REST credentials are base64), where both profiles agree.
 */
public final class OpaqueString {
    private OpaqueString() {
    }

    public static String prepare(String s) {
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c > 0x7F && Character.getType(c) == Character.SPACE_SEPARATOR) {
                if (sb == null) {
                    sb = new StringBuilder(s);
                }
                sb.setCharAt(i, ' ');
            }
        }
        String mapped = sb == null ? s : sb.toString();
        return Normalizer.normalize(mapped, Normalizer.Form.NFC);
    }
}
