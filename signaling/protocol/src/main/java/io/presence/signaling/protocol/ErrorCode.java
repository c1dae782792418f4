package io.presence.signaling.protocol;

/**
 * Every error code the server sends in an {@code error} frame. The wire name is stable API: clients switch on it,
 * and it is the only value used as the {@code code} label of the errors metric, which keeps that label bounded.
 */
public enum ErrorCode {
    MALFORMED_JSON("malformed_json", "the frame is not a single valid JSON object"),
    UNKNOWN_TYPE("unknown_type", "the message type is not known"),
    INVALID_FIELD("invalid_field", "a field is missing, mistyped or out of range"),
    FRAME_TOO_LARGE("frame_too_large", "the frame exceeds the size limit"),
    BINARY_FRAME("binary_frame", "binary frames are not part of the text protocol"),
    UNSUPPORTED_VERSION("unsupported_version", "the protocol version named in hello is not supported"),
    HELLO_REQUIRED("hello_required", "the first message on a connection must be hello"),
    HELLO_TIMEOUT("hello_timeout", "no hello arrived within the deadline"),
    ALREADY_AUTHENTICATED("already_authenticated", "hello was already accepted on this connection"),
    AUTH_FAILED("auth_failed", "the credentials were rejected or the provider is not enabled"),
    RESUME_FAILED("resume_failed", "the session cannot be resumed; start a new one"),
    UNKNOWN_ROOM("unknown_room", "no such room"),
    NOT_IN_ROOM("not_in_room", "the session is not a member of that room"),
    FORBIDDEN("forbidden", "the session's principal may not do that in that room"),
    LIMIT_EXCEEDED("limit_exceeded", "a configured limit was reached; the 'limit' field names it"),
    NOT_IN_CALL("not_in_call", "the session is not in that room's call"),
    UNKNOWN_PEER("unknown_peer", "the addressed member is not in the call"),
    INVALID_SDP("invalid_sdp", "the SDP or candidate was refused and not relayed; 'reason' says why"),
    SERVER_DRAINING("server_draining", "the server is shutting down and accepts no new sessions"),
    NOT_SUPPORTED("not_supported", "this server cannot do that at all (naming a room needs a database)"),
    STORAGE_UNAVAILABLE("storage_unavailable", "the database cannot take the request now; nothing was changed"),
    UNKNOWN_MESSAGE("unknown_message", "no such message in this room"),
    NOT_PERSISTENT("not_persistent", "the room has no name yet; room.name keeps it"),
    CALL_IN_PROGRESS("call_in_progress", "the room's call has participants; the change waits for it to end"),
    INVITE_UNKNOWN("invite_unknown", "no invite has that token or id"),
    INVITE_EXPIRED("invite_expired", "the invite has expired"),
    INVITE_USED("invite_used", "the single-use invite was already redeemed"),
    INVITE_REVOKED("invite_revoked", "the invite was revoked"),
    REVOKED("revoked", "an administrator revoked the user's sign-in; the session ended and cannot be resumed"),
    UNKNOWN_MEMBER("unknown_member", "the named user is not a member of that room"),
    INTERNAL("internal", "the server failed to handle the request");

    private final String wire;
    private final String description;

    ErrorCode(String wire, String description) {
        this.wire = wire;
        this.description = description;
    }

    /** The value sent as {@code code}. */
    public String wire() {
        return wire;
    }

    public String description() {
        return description;
    }

    @Override
    public String toString() {
        return wire;
    }
}
