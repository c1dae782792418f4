package io.presence.signaling.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * A message from a client to the server. The server builds these only through {@link ClientMessageDecoder}, which
 * validates every field; the Jackson annotations are for encoding (the Java client library).
 *
 * <p>{@link #requestId()} is the client's correlation id: the server echoes it on the response or error for
 * that request. It is optional; a request without one gets no success response, only errors and events.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = ClientMessage.Hello.class, name = ClientMessage.Hello.TYPE),
        @JsonSubTypes.Type(value = ClientMessage.Bye.class, name = ClientMessage.Bye.TYPE),
        @JsonSubTypes.Type(value = ClientMessage.Ping.class, name = ClientMessage.Ping.TYPE),
        @JsonSubTypes.Type(value = ClientMessage.Pong.class, name = ClientMessage.Pong.TYPE),
        @JsonSubTypes.Type(value = ClientMessage.CreateRoom.class, name = ClientMessage.CreateRoom.TYPE),
        @JsonSubTypes.Type(value = ClientMessage.JoinRoom.class, name = ClientMessage.JoinRoom.TYPE),
        @JsonSubTypes.Type(value = ClientMessage.LeaveRoom.class, name = ClientMessage.LeaveRoom.TYPE),
        @JsonSubTypes.Type(value = ClientMessage.NameRoom.class, name = ClientMessage.NameRoom.TYPE),
        @JsonSubTypes.Type(value = ClientMessage.ListRooms.class, name = ClientMessage.ListRooms.TYPE),
        @JsonSubTypes.Type(value = ClientMessage.SendChat.class, name = ClientMessage.SendChat.TYPE),
        @JsonSubTypes.Type(value = ClientMessage.GetHistory.class, name = ClientMessage.GetHistory.TYPE),
        @JsonSubTypes.Type(value = ClientMessage.Typing.class, name = ClientMessage.Typing.TYPE),
        @JsonSubTypes.Type(value = ClientMessage.UpdateProfile.class, name = ClientMessage.UpdateProfile.TYPE),
        @JsonSubTypes.Type(value = ClientMessage.JoinCall.class, name = ClientMessage.JoinCall.TYPE),
        @JsonSubTypes.Type(value = ClientMessage.LeaveCall.class, name = ClientMessage.LeaveCall.TYPE),
        @JsonSubTypes.Type(value = ClientMessage.Signal.class, name = ClientMessage.Signal.TYPE),
        @JsonSubTypes.Type(value = ClientMessage.MediaState.class, name = ClientMessage.MediaState.TYPE),
        @JsonSubTypes.Type(value = ClientMessage.RefreshCredentials.class, name = ClientMessage.RefreshCredentials.TYPE),
        @JsonSubTypes.Type(value = ClientMessage.EditChat.class, name = ClientMessage.EditChat.TYPE),
        @JsonSubTypes.Type(value = ClientMessage.DeleteChat.class, name = ClientMessage.DeleteChat.TYPE),
        @JsonSubTypes.Type(value = ClientMessage.MarkRead.class, name = ClientMessage.MarkRead.TYPE),
        @JsonSubTypes.Type(value = ClientMessage.RenameRoom.class, name = ClientMessage.RenameRoom.TYPE),
        @JsonSubTypes.Type(value = ClientMessage.CloseRoom.class, name = ClientMessage.CloseRoom.TYPE),
        @JsonSubTypes.Type(value = ClientMessage.RevokeUser.class, name = ClientMessage.RevokeUser.TYPE),
        @JsonSubTypes.Type(value = ClientMessage.UpdateRoomSettings.class, name = ClientMessage.UpdateRoomSettings.TYPE),
        @JsonSubTypes.Type(value = ClientMessage.CreateInvite.class, name = ClientMessage.CreateInvite.TYPE),
        @JsonSubTypes.Type(value = ClientMessage.RedeemInvite.class, name = ClientMessage.RedeemInvite.TYPE),
        @JsonSubTypes.Type(value = ClientMessage.RevokeInvite.class, name = ClientMessage.RevokeInvite.TYPE),
        @JsonSubTypes.Type(value = ClientMessage.ListInvites.class, name = ClientMessage.ListInvites.TYPE),
        @JsonSubTypes.Type(value = ClientMessage.PendingInvites.class, name = ClientMessage.PendingInvites.TYPE),
        @JsonSubTypes.Type(value = ClientMessage.AcceptInvite.class, name = ClientMessage.AcceptInvite.TYPE),
        @JsonSubTypes.Type(value = ClientMessage.DeclineInvite.class, name = ClientMessage.DeclineInvite.TYPE),
        @JsonSubTypes.Type(value = ClientMessage.KickMember.class, name = ClientMessage.KickMember.TYPE),
        @JsonSubTypes.Type(value = ClientMessage.ChangeRole.class, name = ClientMessage.ChangeRole.TYPE),
        @JsonSubTypes.Type(value = ClientMessage.OpenDirect.class, name = ClientMessage.OpenDirect.TYPE),
})
@JsonInclude(JsonInclude.Include.NON_NULL)
public sealed interface ClientMessage {

    String requestId();

    /** The wire type name, also the bounded {@code type} label of the messages metric. */
    String type();

    /** Opens or resumes a session. Exactly one of {@code auth} and {@code resume} is set. */
    record Hello(String requestId, int version, Credentials auth, Resume resume) implements ClientMessage {
        public static final String TYPE = "hello";

        @Override
        public String type() {
            return TYPE;
        }
    }

    /** Credentials for an authentication provider (the core's {@code identity.AuthProvider}); which fields matter is the provider's business. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Credentials(String provider, String displayName, String avatarUrl, String token, String invite,
                       String authId, String login) {

        /** Credentials of the providers that need neither an invite nor Friend's fields. */
        public Credentials(String provider, String displayName, String avatarUrl, String token) {
            this(provider, displayName, avatarUrl, token, null, null, null);
        }

        /** A guest's credentials ({@code provider: "guest"}): the invite and the name the guest chose. */
        public Credentials(String provider, String displayName, String avatarUrl, String token, String invite) {
            this(provider, displayName, avatarUrl, token, invite, null, null);
        }

        /** Friend sign-in ({@code provider: "friend"}): the Friend session's {@code authId} and the stated login. */
        public static Credentials friend(String authId, String login) {
            return new Credentials("friend", null, null, null, null, authId, login);
        }

        @Override
        public String toString() {
            // The token, the invite and the authId are secrets: never print them.
            return "Credentials[provider=" + provider + ", displayName=" + displayName + "]";
        }
    }

    /** Resume an existing session; {@code lastSeq} is the last event sequence number the client processed (0 = none). */
    record Resume(String token, long lastSeq) {
        @Override
        public String toString() {
            return "Resume[token=" + (token == null ? null : Tokens.redact(token)) + ", lastSeq=" + lastSeq + "]";
        }
    }

    /** Ends the session at once: rooms see the member leave, the resume token dies. */
    record Bye(String requestId) implements ClientMessage {
        public static final String TYPE = "bye";

        @Override
        public String type() {
            return TYPE;
        }
    }

    /** A client-initiated liveness probe; answered with {@code pong}. */
    record Ping(String requestId) implements ClientMessage {
        public static final String TYPE = "ping";

        @Override
        public String type() {
            return TYPE;
        }
    }

    /** The answer to a server {@code ping}. */
    record Pong(String requestId) implements ClientMessage {
        public static final String TYPE = "pong";

        @Override
        public String type() {
            return TYPE;
        }
    }

    /**
     * Creates an unnamed, ephemeral room and joins it as its owner. {@code relayOnly} turns privacy mode on or off
     * for the room's call; null = the server's default.
     */
    record CreateRoom(String requestId, Boolean relayOnly) implements ClientMessage {
        public static final String TYPE = "room.create";

        public CreateRoom(String requestId) {
            this(requestId, null);
        }

        @Override
        public String type() {
            return TYPE;
        }
    }

    record JoinRoom(String requestId, String roomId) implements ClientMessage {
        public static final String TYPE = "room.join";

        @Override
        public String type() {
            return TYPE;
        }
    }

    record LeaveRoom(String requestId, String roomId) implements ClientMessage {
        public static final String TYPE = "room.leave";

        @Override
        public String type() {
            return TYPE;
        }
    }

    /**
     * Names a room, which makes it persistent: it is kept with its members and chat across unloads and restarts.
     * {@code name} is trimmed, 1 to {@link RoomName#MAX_CHARS} characters, without control characters.
     */
    record NameRoom(String requestId, String roomId, String name) implements ClientMessage {
        public static final String TYPE = "room.name";

        @Override
        public String type() {
            return TYPE;
        }
    }

    /** Asks for the persistent rooms the session's user is a member of; answered {@code room.list}. */
    record ListRooms(String requestId) implements ClientMessage {
        public static final String TYPE = "room.list";

        @Override
        public String type() {
            return TYPE;
        }
    }

    /**
     * A chat message. {@code clientMsgId} makes retries idempotent: the room stores and delivers a given
     * (sender, clientMsgId) once and answers a retry with the original acknowledgement.
     */
    record SendChat(String requestId, String roomId, String clientMsgId, String text, Long replyTo)
            implements ClientMessage {
        public static final String TYPE = "chat.send";

        @Override
        public String type() {
            return TYPE;
        }
    }

    /**
     * A page of history, at most {@code limit} messages: those with id below {@code before}, or above {@code after}
     * (at most one of the two), or the newest when neither is given.
     */
    record GetHistory(String requestId, String roomId, Long before, Integer limit, Long after) implements ClientMessage {
        public static final String TYPE = "chat.history";

        public GetHistory(String requestId, String roomId, Long before, Integer limit) {
            this(requestId, roomId, before, limit, null);
        }

        @Override
        public String type() {
            return TYPE;
        }
    }

    /** Typing indicator; an active indicator expires by itself unless renewed. */
    record Typing(String requestId, String roomId, boolean active) implements ClientMessage {
        public static final String TYPE = "typing";

        @Override
        public String type() {
            return TYPE;
        }
    }

    /** Changes the display name and/or avatar URL shown in every room of the session. */
    record UpdateProfile(String requestId, String displayName, String avatarUrl) implements ClientMessage {
        public static final String TYPE = "profile.update";

        @Override
        public String type() {
            return TYPE;
        }
    }

    /** Joins the room's call (the session must be a room member); answered with {@code live.call}. */
    record JoinCall(String requestId, String roomId) implements ClientMessage {
        public static final String TYPE = "live.join";

        @Override
        public String type() {
            return TYPE;
        }
    }

    /** Leaves the room's call but stays in the room. */
    record LeaveCall(String requestId, String roomId) implements ClientMessage {
        public static final String TYPE = "live.leave";

        @Override
        public String type() {
            return TYPE;
        }
    }

    /**
     * A WebRTC signal for one call peer ({@code to}), relayed by the room after validation. {@code kind} is one of
     * {@link SignalKind}'s wire names; {@code sdp} is set for offer and answer, {@code candidate} (with
     * {@code sdpMid}/{@code sdpMLineIndex}) for candidate; {@code iceRestart} marks an offer that restarts ICE.
     */
    record Signal(String requestId, String roomId, String to, String kind, String sdp, String candidate,
                  String sdpMid, Integer sdpMLineIndex, Boolean iceRestart) implements ClientMessage {
        public static final String TYPE = "live.signal";

        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public String toString() {
            // SDP and candidates carry addresses: keep them out of logs.
            return "Signal[roomId=" + roomId + ", to=" + to + ", kind=" + kind + "]";
        }
    }

    /** Media state shown to the call: any of the three may be omitted (unchanged). */
    record MediaState(String requestId, String roomId, Boolean muted, Boolean camera, Boolean speaking)
            implements ClientMessage {
        public static final String TYPE = "live.state";

        @Override
        public String type() {
            return TYPE;
        }
    }

    /** Asks for fresh TURN credentials before the current ones expire; answered with {@code live.credentials}. */
    record RefreshCredentials(String requestId, String roomId) implements ClientMessage {
        public static final String TYPE = "live.credentials";

        @Override
        public String type() {
            return TYPE;
        }
    }

    /**
     * Replaces the text of message {@code messageId}: the sender within the edit window, a room owner any time
     * (with a {@code reason} when it is someone else's message).
     */
    record EditChat(String requestId, String roomId, long messageId, String text, String reason)
            implements ClientMessage {
        public static final String TYPE = "chat.edit";

        @Override
        public String type() {
            return TYPE;
        }
    }

    /** Deletes message {@code messageId} (its text is wiped): the sender, or a room owner with a {@code reason}. */
    record DeleteChat(String requestId, String roomId, long messageId, String reason) implements ClientMessage {
        public static final String TYPE = "chat.delete";

        @Override
        public String type() {
            return TYPE;
        }
    }

    /** Moves the user's read marker in the room forward to {@code messageId} (never back). */
    record MarkRead(String requestId, String roomId, long messageId) implements ClientMessage {
        public static final String TYPE = "chat.read";

        @Override
        public String type() {
            return TYPE;
        }
    }

    /** Renames a persistent room (its owner only); the name follows the rule of {@link NameRoom}. */
    record RenameRoom(String requestId, String roomId, String name) implements ClientMessage {
        public static final String TYPE = "room.rename";

        @Override
        public String type() {
            return TYPE;
        }
    }

    /**
     * Closes a room for good (its owner only): every member is taken out of it and its call, and a persistent room
     * is deleted with its members and chat.
     */
    record CloseRoom(String requestId, String roomId) implements ClientMessage {
        public static final String TYPE = "room.close";

        @Override
        public String type() {
            return TYPE;
        }
    }

    /**
     * Revokes a user's sign-in (server admins only): every session of {@code userId} ends, and tokens issued until
     * now are refused from then on.
     */
    record RevokeUser(String requestId, String userId) implements ClientMessage {
        public static final String TYPE = "admin.revoke";

        @Override
        public String type() {
            return TYPE;
        }
    }

    /** Changes a room's settings (its owner only): {@code relayOnly} is the privacy mode of its next call. */
    record UpdateRoomSettings(String requestId, String roomId, boolean relayOnly) implements ClientMessage {
        public static final String TYPE = "room.settings";

        @Override
        public String type() {
            return TYPE;
        }
    }


    // --- invites to persistent rooms (see PROTOCOL.md, "Invites and guests") ---

    /**
     * Creates an invite to a persistent room (its owners and admins only). {@code kind} is {@code public},
     * {@code single} or {@code targeted}; {@code userId} names the one user of a targeted invite; {@code ttl} is
     * the lifetime in seconds (null: the server's default).
     */
    record CreateInvite(String requestId, String roomId, String kind, String userId, Long ttl)
            implements ClientMessage {
        public static final String TYPE = "invite.create";

        @Override
        public String type() {
            return TYPE;
        }
    }

    /**
     * Takes every session of {@code userId} out of the room and its call and ends the user's membership; the room's
     * rights decide who may kick whom ({@code RoomRights} in the core). {@code reason} is shown to every member.
     */
    record KickMember(String requestId, String roomId, String userId, String reason) implements ClientMessage {
        public static final String TYPE = "room.kick";

        @Override
        public String type() {
            return TYPE;
        }
    }

    /** Redeems an invite's token for the signed-in user, who becomes a member of its room. */
    record RedeemInvite(String requestId, String token) implements ClientMessage {
        public static final String TYPE = "invite.redeem";

        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public String toString() {
            return "RedeemInvite[requestId=" + requestId + ", token=" + Tokens.redact(token) + "]";
        }
    }

    /** Revokes an invite of a room (its owners and admins only). */
    record RevokeInvite(String requestId, String roomId, String inviteId) implements ClientMessage {
        public static final String TYPE = "invite.revoke";

        @Override
        public String type() {
            return TYPE;
        }
    }

    /** Gives {@code userId} the room role {@code role} ({@code owner}, {@code admin} or {@code member}). */
    record ChangeRole(String requestId, String roomId, String userId, String role) implements ClientMessage {
        public static final String TYPE = "room.role";
        /** The roles a {@code room.role} may give; {@code guest} follows from the sign-in and is never given. */
        public static final java.util.List<String> GRANTABLE = java.util.List.of("owner", "admin", "member");

        @Override
        public String type() {
            return TYPE;
        }
    }

    /** Lists a room's invites, without their tokens (its owners and admins only). */
    record ListInvites(String requestId, String roomId) implements ClientMessage {
        public static final String TYPE = "invite.list";

        @Override
        public String type() {
            return TYPE;
        }
    }

    /** Lists the targeted invites for the signed-in user that can still be accepted. */
    record PendingInvites(String requestId) implements ClientMessage {
        public static final String TYPE = "invite.pending";

        @Override
        public String type() {
            return TYPE;
        }
    }

    /** Accepts a targeted invite for the signed-in user, who becomes a member of its room. */
    record AcceptInvite(String requestId, String inviteId) implements ClientMessage {
        public static final String TYPE = "invite.accept";

        @Override
        public String type() {
            return TYPE;
        }
    }

    /** Declines a targeted invite for the signed-in user: it is revoked. */
    record DeclineInvite(String requestId, String inviteId) implements ClientMessage {
        public static final String TYPE = "invite.decline";

        @Override
        public String type() {
            return TYPE;
        }
    }

    /** Opens (finding or creating) the private two-member room between the caller and {@code userId}, and joins it. */
    record OpenDirect(String requestId, String userId) implements ClientMessage {
        public static final String TYPE = "room.direct";

        @Override
        public String type() {
            return TYPE;
        }
    }
}
