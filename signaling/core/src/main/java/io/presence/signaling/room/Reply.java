package io.presence.signaling.room;

/**
 * Identifies where the response to one request goes: the request id to echo and an opaque connection handle the
 * session understands. Rooms treat it as a token and pass it back to {@link MemberSink#reply}.
 */
public record Reply(String requestId, Object connection) {
    /** For requests made by the server itself (leaving at session end): nobody gets a response. */
    public static final Reply NONE = new Reply(null, null);
}
