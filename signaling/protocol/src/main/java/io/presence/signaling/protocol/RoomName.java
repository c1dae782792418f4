package io.presence.signaling.protocol;

/** The rule for a room's name ({@code room.name}): trimmed, 1 to {@link #MAX_CHARS} characters, no control characters. */
public final class RoomName {
    public static final int MAX_CHARS = 100;
    /** What the decoder reads before trimming: generous for surrounding blanks, bounded all the same. */
    static final int MAX_RAW_CHARS = 400;

    private RoomName() {
    }

    /** What is wrong with {@code raw} as a room name ("field 'name' …"), or null when it is a valid name. */
    public static String problem(String raw) {
        try {
            valid(raw);
            return null;
        } catch (InvalidFieldException e) {
            return e.getMessage();
        }
    }

    /** The trimmed name; throws {@link InvalidFieldException} when it breaks the rule. */
    static String valid(String raw) {
        String name = raw.strip();
        if (name.isEmpty()) {
            throw new InvalidFieldException("field 'name' must not be blank");
        }
        if (name.codePointCount(0, name.length()) > MAX_CHARS) {
            throw new InvalidFieldException("field 'name' is longer than " + MAX_CHARS + " characters");
        }
        if (name.codePoints().anyMatch(Character::isISOControl)) {
            throw new InvalidFieldException("field 'name' must not contain control characters");
        }
        return name;
    }
}
