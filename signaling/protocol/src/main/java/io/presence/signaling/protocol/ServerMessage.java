package io.presence.signaling.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;


import java.util.List;

/**
 * A message from the server to a client. Responses echo the request's {@code requestId}; {@link EventFrame}s carry
 * the session's sequence number instead and are the only messages replayed on resume.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = ServerMessage.Welcome.class, name = ServerMessage.Welcome.TYPE),
        @JsonSubTypes.Type(value = ServerMessage.Ok.class, name = ServerMessage.Ok.TYPE),
        @JsonSubTypes.Type(value = ServerMessage.Error.class, name = ServerMessage.Error.TYPE),
        @JsonSubTypes.Type(value = ServerMessage.Ping.class, name = ServerMessage.Ping.TYPE),
        @JsonSubTypes.Type(value = ServerMessage.Pong.class, name = ServerMessage.Pong.TYPE),
        @JsonSubTypes.Type(value = ServerMessage.RoomJoined.class, name = ServerMessage.RoomJoined.TYPE),
        @JsonSubTypes.Type(value = ServerMessage.RoomLeft.class, name = ServerMessage.RoomLeft.TYPE),
        @JsonSubTypes.Type(value = ServerMessage.ChatAck.class, name = ServerMessage.ChatAck.TYPE),
        @JsonSubTypes.Type(value = ServerMessage.HistoryPage.class, name = ServerMessage.HistoryPage.TYPE),
        @JsonSubTypes.Type(value = ServerMessage.RoomList.class, name = ServerMessage.RoomList.TYPE),
        @JsonSubTypes.Type(value = ServerMessage.Closing.class, name = ServerMessage.Closing.TYPE),
        @JsonSubTypes.Type(value = ServerMessage.EventFrame.class, name = ServerMessage.EventFrame.TYPE),
        @JsonSubTypes.Type(value = ServerMessage.CallJoined.class, name = ServerMessage.CallJoined.TYPE),
        @JsonSubTypes.Type(value = ServerMessage.CallCredentials.class, name = ServerMessage.CallCredentials.TYPE),
        @JsonSubTypes.Type(value = ServerMessage.InviteCreated.class, name = ServerMessage.InviteCreated.TYPE),
        @JsonSubTypes.Type(value = ServerMessage.InviteRedeemed.class, name = ServerMessage.InviteRedeemed.TYPE),
        @JsonSubTypes.Type(value = ServerMessage.InviteList.class, name = ServerMessage.InviteList.TYPE),
        @JsonSubTypes.Type(value = ServerMessage.PendingInviteList.class, name = ServerMessage.PendingInviteList.TYPE),
        @JsonSubTypes.Type(value = ServerMessage.UserRevoked.class, name = ServerMessage.UserRevoked.TYPE),
})
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public sealed interface ServerMessage {

    /** The wire type name; also the bounded {@code type} label of the messages-out metric. */
    String type();

    /**
     * The request this answers; null for what the server sends on its own (pings, events, closing, pushed
     * credentials). Every answer's record has it as a component, which overrides this.
     */
    default String requestId() {
        return null;
    }

    /**
     * The answer to {@code hello}: the session is open (or resumed). {@code resumeToken} is new at every resume;
     * {@code limits} are the server's limits the client must respect.
     */
    record Welcome(String requestId, int version, String sessionId, String userId, String resumeToken,
                   boolean resumed, long lastSeq, long pingIntervalMs, long resumeGraceMs, ClientLimits limits)
            implements ServerMessage {
        public static final String TYPE = "welcome";

        /** Without limits (a server that sends none). */
        public Welcome(String requestId, int version, String sessionId, String userId, String resumeToken,
                       boolean resumed, long lastSeq, long pingIntervalMs, long resumeGraceMs) {
            this(requestId, version, sessionId, userId, resumeToken, resumed, lastSeq, pingIntervalMs, resumeGraceMs,
                    null);
        }

        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public String toString() {
            return "Welcome[sessionId=" + sessionId + ", resumed=" + resumed + ", lastSeq=" + lastSeq
                    + ", resumeToken=" + Tokens.redact(resumeToken) + "]";
        }
    }

    /**
     * Success for a request that has no other result. {@code removed} is set only on the answer to a
     * {@code live.signal} in a relay-only room when the server left something out of what it forwarded.
     */
    record Ok(String requestId, Removed removed) implements ServerMessage {
        public static final String TYPE = "ok";

        public Ok(String requestId) {
            this(requestId, null);
        }

        @Override
        public String type() {
            return TYPE;
        }
    }

    /**
     * A typed error; {@code limit} is set only for {@code limit_exceeded}, {@code reason} only for
     * {@code invalid_sdp} (why the SDP or candidate was refused, see {@code SdpRejection}).
     */
    record Error(String requestId, String code, String message, String limit, String reason)
            implements ServerMessage {
        public static final String TYPE = "error";

        public Error(String requestId, String code, String message, String limit) {
            this(requestId, code, message, limit, null);
        }

        public static Error invalidSdp(String requestId, String reason, String message) {
            return new Error(requestId, ErrorCode.INVALID_SDP.wire(), message, null, reason);
        }

        public static Error of(String requestId, ErrorCode code, String message) {
            return new Error(requestId, code.wire(), message, null);
        }

        public static Error limit(String requestId, Limit limit, String message) {
            return new Error(requestId, ErrorCode.LIMIT_EXCEEDED.wire(), message, limit.wire());
        }

        @Override
        public String type() {
            return TYPE;
        }
    }

    /**
     * What a relay-only room left out of a signal it forwarded (or did not forward at all): how many candidates,
     * and the sorted names of dropped SDP attributes and line types (at most 32).
     */
    record Removed(int candidates, List<String> attributes) {
    }

    /** Keepalive probe; the client answers {@code pong}. */
    record Ping() implements ServerMessage {
        public static final String TYPE = "ping";
        public static final Ping INSTANCE = new Ping();

        @Override
        public String type() {
            return TYPE;
        }
    }

    /** The answer to a client {@code ping}. */
    record Pong(String requestId) implements ServerMessage {
        public static final String TYPE = "pong";

        @Override
        public String type() {
            return TYPE;
        }
    }

    /**
     * The snapshot after a join or create; deltas follow as events. {@code relayOnly} is the room's call mode
     * (changed only while no call runs, {@code room.settings}), so that a client shows whether other members
     * can learn its address before it joins the call. {@code memberships} is set for persistent rooms only: every member, online or not.
     */
    record RoomJoined(String requestId, String roomId, String memberId, String role, boolean relayOnly,
                      List<MemberView> members, List<MembershipView> memberships) implements ServerMessage {
        public static final String TYPE = "room.joined";

        /** The snapshot of an ephemeral room, which keeps no memberships. */
        public RoomJoined(String requestId, String roomId, String memberId, String role, boolean relayOnly,
                          List<MemberView> members) {
            this(requestId, roomId, memberId, role, relayOnly, members, null);
        }

        @Override
        public String type() {
            return TYPE;
        }
    }

    record RoomLeft(String requestId, String roomId) implements ServerMessage {
        public static final String TYPE = "room.left";

        @Override
        public String type() {
            return TYPE;
        }
    }

    /** The message was accepted; {@code duplicate} when this was a retry of an already accepted client id. */
    record ChatAck(String requestId, String roomId, String clientMsgId, long messageId, long ts, boolean duplicate)
            implements ServerMessage {
        public static final String TYPE = "chat.ack";

        @Override
        public String type() {
            return TYPE;
        }
    }

    /** Messages oldest first; {@code hasMore} when older ones exist before the first. */
    record HistoryPage(String requestId, String roomId, List<ChatMessageView> messages, boolean hasMore)
            implements ServerMessage {
        public static final String TYPE = "chat.history";

        @Override
        public String type() {
            return TYPE;
        }
    }

    /** The answer to {@code admin.revoke}: {@code sessions} of {@code userId} were ended. */
    record UserRevoked(String requestId, String userId, int sessions) implements ServerMessage {
        public static final String TYPE = "admin.revoke";

        @Override
        public String type() {
            return TYPE;
        }
    }

    /** The answer to {@code room.list}: the user's persistent rooms, by name. */
    record RoomList(String requestId, List<RoomListing> rooms) implements ServerMessage {
        public static final String TYPE = "room.list";

        @Override
        public String type() {
            return TYPE;
        }
    }

    /**
     * Sent just before the server closes a connection, or when the server is going away ({@code server_going_away};
     * the connection then stays open until shutdown).
     */
    record Closing(String reason, String message) implements ServerMessage {
        public static final String TYPE = "closing";

        @Override
        public String type() {
            return TYPE;
        }
    }

    /** A sequenced event: {@code seq} increases by one per session; replayed on resume. */
    record EventFrame(long seq, RoomEvent event) implements ServerMessage {
        public static final String TYPE = "event";

        @Override
        public String type() {
            return TYPE;
        }
    }

    /**
     * The answer to {@code live.join}: the call's other participants (the joiner offers to each of them), whether
     * the room is relay-only, and the joiner's ICE configuration with fresh TURN credentials.
     */
    record CallJoined(String requestId, String roomId, String memberId, boolean relayOnly, List<CallPeer> peers,
                      IceConfiguration ice) implements ServerMessage {
        public static final String TYPE = "live.call";

        @Override
        public String type() {
            return TYPE;
        }
    }

    /** The answer to {@code live.credentials}: a fresh ICE configuration. */
    record CallCredentials(String requestId, String roomId, IceConfiguration ice) implements ServerMessage {
        public static final String TYPE = "live.credentials";

        @Override
        public String type() {
            return TYPE;
        }
    }

    // --- invites (see PROTOCOL.md, "Invites and guests") ---

    /**
     * The answer to {@code invite.create}. {@code token} is the secret (shown once: the server keeps only its
     * hash); {@code url} is the join link, absolute when the server knows its public host, else the path
     * {@code /join/<token>}. {@code expiresAt} is in epoch milliseconds.
     */
    record InviteCreated(String requestId, String inviteId, String roomId, String kind, String token, String url,
                         long expiresAt) implements ServerMessage {
        public static final String TYPE = "invite.created";

        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public String toString() {
            return "InviteCreated[inviteId=" + inviteId + ", roomId=" + roomId + ", kind=" + kind + ", token="
                    + Tokens.redact(token) + "]";
        }
    }

    /** The answer to {@code invite.redeem} and {@code invite.accept}: the user is a member of this room now. */
    record InviteRedeemed(String requestId, String roomId, String name) implements ServerMessage {
        public static final String TYPE = "invite.redeemed";

        @Override
        public String type() {
            return TYPE;
        }
    }

    /** The answer to {@code invite.list}: every invite of the room, oldest first, without tokens. */
    record InviteList(String requestId, String roomId, List<InviteView> invites) implements ServerMessage {
        public static final String TYPE = "invite.list";

        @Override
        public String type() {
            return TYPE;
        }
    }

    /** The answer to {@code invite.pending}: the targeted invites the user can still accept, oldest first. */
    record PendingInviteList(String requestId, List<InviteView> invites) implements ServerMessage {
        public static final String TYPE = "invite.pending";

        @Override
        public String type() {
            return TYPE;
        }
    }
}
