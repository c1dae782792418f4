package io.presence.signaling.friend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;

/**
 * FriendCore's answer to {@code userinfoget}, read: {@code ok<!--separate-->} then a JSON object about the session's
 * user, or {@code fail<!--separate-->} then why. Anything else is nonsense, reported as such rather than guessed at.
 */
sealed interface FriendAnswer {

    String SEPARATOR = "<!--separate-->";
    String FRIEND_ADMIN_LEVEL = "Admin";

    /**
     * A live session.
     *
     * @param id       the stable user id ({@code UniqueID}, else {@code userid})
     * @param login    the login ({@code Name})
     * @param fullName the display name ({@code FullName}), or null
     * @param admin    {@code Level} is {@code Admin}
     */
    record User(String id, String login, String fullName, boolean admin) implements FriendAnswer {
    }

    /** FriendCore does not know the session (expired, logged out, never existed). */
    record Refused() implements FriendAnswer {
    }

    /** @param what what was wrong, for the log; never quotes the body, which may carry personal data */
    record Invalid(String what) implements FriendAnswer {
    }

    ObjectMapper JSON = new ObjectMapper();

    static FriendAnswer parse(String body) {
        String text = body == null ? "" : body.strip();
        if (text.startsWith("fail" + SEPARATOR) || text.equals("fail")) {
            return new Refused();
        }
        if (!text.startsWith("ok" + SEPARATOR)) {
            return new Invalid("the body does not start with ok or fail" + SEPARATOR);
        }
        JsonNode json;
        try {
            json = JSON.readTree(text.substring(("ok" + SEPARATOR).length()));
        } catch (IOException e) {
            return new Invalid("the user info is not JSON");
        }
        if (json == null || !json.isObject()) {
            return new Invalid("the user info is not a JSON object");
        }
        String id = scalar(json, "UniqueID");
        if (id == null) {
            id = scalar(json, "userid");
        }
        String login = scalar(json, "Name");
        if (id == null || login == null) {
            return new Invalid("the user info lacks UniqueID/userid or Name");
        }
        return new User(id, login, scalar(json, "FullName"), FRIEND_ADMIN_LEVEL.equals(scalar(json, "Level")));
    }

    /** A non-blank string or number field as text; null otherwise. */
    private static String scalar(JsonNode json, String field) {
        JsonNode v = json.get(field);
        if (v == null || !(v.isTextual() || v.isIntegralNumber())) {
            return null;
        }
        String s = v.asText().strip();
        return s.isEmpty() ? null : s;
    }
}
