package io.presence.signaling.protocol;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * Something that happened in a room, fanned out to every member session. Immutable and shared between sessions:
 * each session wraps it in its own {@link ServerMessage.EventFrame} with its own sequence number.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = RoomEvent.MemberJoined.class, name = RoomEvent.MemberJoined.TYPE),
        @JsonSubTypes.Type(value = RoomEvent.MemberLeft.class, name = RoomEvent.MemberLeft.TYPE),
        @JsonSubTypes.Type(value = RoomEvent.MemberReconnecting.class, name = RoomEvent.MemberReconnecting.TYPE),
        @JsonSubTypes.Type(value = RoomEvent.MemberBack.class, name = RoomEvent.MemberBack.TYPE),
        @JsonSubTypes.Type(value = RoomEvent.MemberTyping.class, name = RoomEvent.MemberTyping.TYPE),
        @JsonSubTypes.Type(value = RoomEvent.MemberUpdated.class, name = RoomEvent.MemberUpdated.TYPE),
        @JsonSubTypes.Type(value = RoomEvent.ChatPosted.class, name = RoomEvent.ChatPosted.TYPE),
        @JsonSubTypes.Type(value = RoomEvent.CallJoined.class, name = RoomEvent.CallJoined.TYPE),
        @JsonSubTypes.Type(value = RoomEvent.CallLeft.class, name = RoomEvent.CallLeft.TYPE),
        @JsonSubTypes.Type(value = RoomEvent.Signal.class, name = RoomEvent.Signal.TYPE),
        @JsonSubTypes.Type(value = RoomEvent.MediaStateChanged.class, name = RoomEvent.MediaStateChanged.TYPE),
        @JsonSubTypes.Type(value = RoomEvent.CredentialsRefreshed.class, name = RoomEvent.CredentialsRefreshed.TYPE),
        @JsonSubTypes.Type(value = RoomEvent.ChatEdited.class, name = RoomEvent.ChatEdited.TYPE),
        @JsonSubTypes.Type(value = RoomEvent.ChatDeleted.class, name = RoomEvent.ChatDeleted.TYPE),
        @JsonSubTypes.Type(value = RoomEvent.ChatRead.class, name = RoomEvent.ChatRead.TYPE),
        @JsonSubTypes.Type(value = RoomEvent.RoomRenamed.class, name = RoomEvent.RoomRenamed.TYPE),
        @JsonSubTypes.Type(value = RoomEvent.RoomClosed.class, name = RoomEvent.RoomClosed.TYPE),
        @JsonSubTypes.Type(value = RoomEvent.RoomSettingsChanged.class, name = RoomEvent.RoomSettingsChanged.TYPE),
        @JsonSubTypes.Type(value = RoomEvent.InviteReceived.class, name = RoomEvent.InviteReceived.TYPE),
        @JsonSubTypes.Type(value = RoomEvent.RoomListed.class, name = RoomEvent.RoomListed.TYPE),
        @JsonSubTypes.Type(value = RoomEvent.MemberKicked.class, name = RoomEvent.MemberKicked.TYPE),
        @JsonSubTypes.Type(value = RoomEvent.RoleChanged.class, name = RoomEvent.RoleChanged.TYPE),
})
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public sealed interface RoomEvent {

    String roomId();

    @JsonIgnore
    String type();

    record MemberJoined(String roomId, MemberView member) implements RoomEvent {
        public static final String TYPE = "member.joined";

        @Override
        public String type() {
            return TYPE;
        }
    }

    /** {@code reason}: {@code left}, {@code bye}, {@code timeout} (grace window expired) or {@code ended}. */
    record MemberLeft(String roomId, String memberId, String reason) implements RoomEvent {
        public static final String TYPE = "member.left";

        @Override
        public String type() {
            return TYPE;
        }
    }

    record MemberReconnecting(String roomId, String memberId) implements RoomEvent {
        public static final String TYPE = "member.reconnecting";

        @Override
        public String type() {
            return TYPE;
        }
    }

    record MemberBack(String roomId, String memberId) implements RoomEvent {
        public static final String TYPE = "member.back";

        @Override
        public String type() {
            return TYPE;
        }
    }

    record MemberTyping(String roomId, String memberId, boolean active) implements RoomEvent {
        public static final String TYPE = "member.typing";

        @Override
        public String type() {
            return TYPE;
        }
    }

    record MemberUpdated(String roomId, MemberView member) implements RoomEvent {
        public static final String TYPE = "member.updated";

        @Override
        public String type() {
            return TYPE;
        }
    }

    /**
     * A chat message. {@code acceptedNanos} is the server's monotonic clock at acceptance, kept out of the wire
     * format; it feeds the delivery-latency histogram.
     */
    record ChatPosted(String roomId, ChatMessageView message, @JsonIgnore long acceptedNanos) implements RoomEvent {
        public static final String TYPE = "chat.message";

        @Override
        public String type() {
            return TYPE;
        }
    }

    /** Another member joined the call; it will send an offer (the newer peer offers). */
    record CallJoined(String roomId, CallPeer peer) implements RoomEvent {
        public static final String TYPE = "live.joined";

        @Override
        public String type() {
            return TYPE;
        }
    }

    /** {@code reason}: {@code left} (the call), {@code room_left}, {@code bye}, {@code timeout} or {@code ended}. */
    record CallLeft(String roomId, String memberId, String reason) implements RoomEvent {
        public static final String TYPE = "live.left";

        @Override
        public String type() {
            return TYPE;
        }
    }

    /** A signal from call peer {@code from}, for this member only; fields as in the {@code live.signal} request. */
    record Signal(String roomId, String from, String kind, String sdp, String candidate, String sdpMid,
                  Integer sdpMLineIndex, Boolean iceRestart) implements RoomEvent {
        public static final String TYPE = "live.signal";

        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public String toString() {
            return "Signal[roomId=" + roomId + ", from=" + from + ", kind=" + kind + "]";
        }
    }

    record MediaStateChanged(String roomId, String memberId, boolean muted, boolean camera, boolean speaking)
            implements RoomEvent {
        public static final String TYPE = "live.state";

        @Override
        public String type() {
            return TYPE;
        }
    }

    /**
     * Fresh TURN credentials pushed to this member only; same content as the {@code live.credentials} response.
     * {@code reason}: {@code resumed} (the session resumed: restart ICE with them) or {@code expiring} (the
     * previous ones are about to expire: hand them to {@code setConfiguration}, nothing else).
     */
    record CredentialsRefreshed(String roomId, IceConfiguration ice, String reason) implements RoomEvent {
        public static final String TYPE = "live.credentials";

        @Override
        public String type() {
            return TYPE;
        }
    }

    /** A message was edited; {@code message} is the whole message after the edit. */
    record ChatEdited(String roomId, ChatMessageView message) implements RoomEvent {
        public static final String TYPE = "chat.edited";

        @Override
        public String type() {
            return TYPE;
        }
    }

    /** A message was deleted by user {@code deletedBy}; its text is gone from history too. */
    record ChatDeleted(String roomId, long messageId, String deletedBy, String reason) implements RoomEvent {
        public static final String TYPE = "chat.deleted";

        @Override
        public String type() {
            return TYPE;
        }
    }

    /** User {@code userId} read up to {@code messageId}: sent to that user's other sessions in the room only. */
    record ChatRead(String roomId, String userId, long messageId) implements RoomEvent {
        public static final String TYPE = "chat.read";

        @Override
        public String type() {
            return TYPE;
        }
    }

    /** The room got a name or a new one ({@code room.name}, {@code room.rename}); {@code by} is the user id. */
    record RoomRenamed(String roomId, String name, String by) implements RoomEvent {
        public static final String TYPE = "room.renamed";

        @Override
        public String type() {
            return TYPE;
        }
    }

    /** The room was closed by its owner {@code by} (a user id): the member is no longer in it. */
    record RoomClosed(String roomId, String by) implements RoomEvent {
        public static final String TYPE = "room.closed";

        @Override
        public String type() {
            return TYPE;
        }
    }

    /** The room's settings changed ({@code room.settings}): {@code relayOnly} holds for its next call. */
    record RoomSettingsChanged(String roomId, boolean relayOnly, String by) implements RoomEvent {
        public static final String TYPE = "room.settings";

        @Override
        public String type() {
            return TYPE;
        }
    }

    /**
     * A targeted invite to the room for this session's user (no token: it is accepted by id, {@code invite.accept}).
     * Sent to every session of the user that is online when it is created; the others find it in
     * {@code invite.pending}.
     */
    record InviteReceived(String roomId, InviteView invite) implements RoomEvent {
        public static final String TYPE = "invite.received";

        @Override
        public String type() {
            return TYPE;
        }
    }


    /**
     * A room this session's user is now a member of without having asked: another user opened their direct room
     * with this one ({@code room.direct}). {@code room} is the entry {@code room.list} would show, so a client can
     * list the room at once instead of polling; its {@code unread} is 0 (room.list has the count).
     */
    record RoomListed(String roomId, RoomListing room) implements RoomEvent {
        public static final String TYPE = "room.listed";

        @Override
        public String type() {
            return TYPE;
        }
    }

    /**
     * {@code userId} was kicked by {@code by}: its sessions are out of the room and the call; {@code reason} may be
     * null.
     */
    record MemberKicked(String roomId, String userId, String by, String reason) implements RoomEvent {
        public static final String TYPE = "room.kicked";

        @Override
        public String type() {
            return TYPE;
        }
    }

    /** {@code userId} has the room role {@code role} from now on, given by {@code by}. */
    record RoleChanged(String roomId, String userId, String role, String by) implements RoomEvent {
        public static final String TYPE = "room.role";

        @Override
        public String type() {
            return TYPE;
        }
    }
}
