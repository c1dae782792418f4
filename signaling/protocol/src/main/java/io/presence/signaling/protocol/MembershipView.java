package io.presence.signaling.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A member of a persistent room as {@code room.joined} lists it: a membership, kept while the user is offline.
 * {@code name} is the last display name the room saw; {@code role} is {@code owner}, {@code member} or
 * {@code guest};
 * {@code presence} is {@code online} (a session of the user is in the room), {@code reconnecting} (its sessions
 * are all in their resume grace window) or {@code offline} (no session in the room).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record MembershipView(String userId, String name, String role, String presence) {
    public static final String ONLINE = "online";
    public static final String RECONNECTING = "reconnecting";
    public static final String OFFLINE = "offline";
}
