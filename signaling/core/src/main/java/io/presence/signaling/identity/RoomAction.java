package io.presence.signaling.identity;

/** What a session asks to do in a room; each request type about a room is one action. */
public enum RoomAction {
    /** {@code room.create}: there is no room id yet. */
    CREATE,
    JOIN,
    LEAVE,
    /** {@code room.name}: makes the room persistent, or renames it. */
    NAME,
    /** {@code room.list}: there is no room id; the answer lists the principal's own rooms. */
    LIST,
    CHAT_SEND,
    CHAT_HISTORY,
    TYPING,
    CALL_JOIN,
    CALL_LEAVE,
    /** {@code live.signal}: offers, answers, candidates, restarts. */
    CALL_SIGNAL,
    CALL_MEDIA_STATE,
    CALL_REFRESH_CREDENTIALS,
    /** {@code chat.edit}: the room checks sender, edit window and owner on top. */
    CHAT_EDIT,
    /** {@code chat.delete}: the room checks sender and owner on top. */
    CHAT_DELETE,
    /** {@code chat.read}: moves the principal's own read marker. */
    CHAT_READ,
    /** {@code room.rename}: a new name for a persistent room. */
    RENAME,
    /** {@code room.close}: takes every member out and deletes a persistent room with its chat. */
    CLOSE,
    /** {@code room.settings}: the privacy mode of the room's next call. */
    SETTINGS,
    /** {@code room.kick}: takes a user out of the room and ends its membership. */
    KICK,
    /** {@code room.role}: gives a member another role. */
    ROLE,
    /** {@code room.direct}: there is no room id yet; opens the caller's direct room with another user. */
    DIRECT,
    /** {@code invite.create}: the room's owners and admins (the invites decide the kind's rules on top). */
    INVITE_CREATE,
    /** {@code invite.revoke}: the room's owners and admins. */
    INVITE_REVOKE,
    /** {@code invite.list}: the room's owners and admins; the list carries no tokens. */
    INVITE_LIST
}
