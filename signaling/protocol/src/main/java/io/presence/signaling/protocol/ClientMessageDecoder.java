package io.presence.signaling.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;

/**
 * Turns one text frame into a {@link ClientMessage} or a typed {@link DecodeResult.Rejected}. Never throws: every
 * malformed, unknown or mistyped frame maps to an error code, so one bad frame never costs the connection.
 *
 * <p>Shape checks only (types, presence, lengths, ranges that do not depend on configuration). Configured limits
 * (text length, supported versions) are checked by the session, which knows the settings.
 *
 * <p>Thread-safe and stateless; share one instance.
 */
public final class ClientMessageDecoder {
    /** Deep nesting is never needed by the protocol and is a cheap way to burn stack. */
    static final int MAX_NESTING_DEPTH = 16;
    /** Upper bound for any free-text field; the configured text limit is usually far lower. */
    static final int MAX_TEXT_CHARS = 1 << 20;
    static final int MAX_NAME_CHARS = 200;
    static final int MAX_URL_CHARS = 2048;
    /** A Friend session id; FriendCore's are far shorter. */
    static final int MAX_AUTH_ID_CHARS = 512;
    static final int MAX_HISTORY_PAGE = 1000;
    /** Why an owner edited or deleted someone else's message: a line, not an essay. */
    static final int MAX_REASON_CHARS = 500;
    /** Shape bound only; the SDP validator applies the configured (smaller) limit and counts it. */
    static final int MAX_SDP_CHARS = 256 * 1024;
    static final int MAX_CANDIDATE_CHARS = 4096;
    static final int MAX_SDP_MID_CHARS = 64;
    static final int MAX_MLINE_INDEX = 1023;
    /** Shape bound of {@code hello.auth.invite}; a real invite token is 22 characters. */
    static final int MAX_INVITE_CHARS = 256;
    static final java.util.List<String> INVITE_KINDS = java.util.List.of("public", "single", "targeted");

    private final ObjectMapper mapper = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    /**
     * The fast path's streaming parser: the same read constraints, but no duplicate detection (which builds a
     * HashSet per object): {@link FlatObject} checks duplicates itself and hands such frames to the tree path.
     */
    private final JsonFactory flatFactory;

    public ClientMessageDecoder() {
        StreamReadConstraints constraints = StreamReadConstraints.builder()
                .maxNestingDepth(MAX_NESTING_DEPTH)
                .maxNumberLength(32)
                .build();
        mapper.getFactory().setStreamReadConstraints(constraints);
        flatFactory = JsonFactory.builder()
                .disable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .streamReadConstraints(constraints)
                .build();
    }

    public DecodeResult decode(String frame) {
        return decode(frame.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    public DecodeResult decode(byte[] frame) {
        return decode(frame, 0, frame.length);
    }

    /** Decodes {@code length} bytes of UTF-8 JSON; the array is only read, never kept. */
    public DecodeResult decode(byte[] frame, int offset, int length) {
        FlatObject flat = FlatObjectScanner.scan(frame, offset, length);
        if (flat == null) {
            flat = FlatObject.parse(flatFactory, frame, offset, length);
        }
        return flat != null ? decodeFields(flat) : decodeTree(frame, offset, length);
    }

    /** The full path: databind's tree; every malformed frame ends up here and gets its exact error. */
    DecodeResult decodeTree(byte[] frame, int offset, int length) {
        JsonNode tree;
        try {
            tree = mapper.readTree(frame, offset, length);
        } catch (JsonProcessingException e) {
            return new DecodeResult.Rejected(ErrorCode.MALFORMED_JSON, "malformed JSON: " + e.getOriginalMessage(),
                    null, null);
        } catch (IOException | RuntimeException e) {
            return new DecodeResult.Rejected(ErrorCode.MALFORMED_JSON, "malformed JSON", null, null);
        }
        if (!(tree instanceof ObjectNode object)) {
            return new DecodeResult.Rejected(ErrorCode.MALFORMED_JSON, "a frame must be one JSON object", null, null);
        }
        return decodeFields(new JsonFields(object, ""), object.get("type"));
    }

    private DecodeResult decodeFields(FlatObject flat) {
        return decodeFields(new JsonFields(flat, ""), flat.get("type"));
    }

    private DecodeResult decodeFields(JsonFields fields, JsonNode typeNode) {
        String requestId;
        try {
            requestId = fields.optionalString("requestId", JsonFields.MAX_ID_LENGTH);
        } catch (InvalidFieldException e) {
            return new DecodeResult.Rejected(ErrorCode.INVALID_FIELD, e.getMessage(), null, null);
        }
        if (typeNode == null || !typeNode.isTextual()) {
            return new DecodeResult.Rejected(ErrorCode.INVALID_FIELD, "field 'type' must be a string", requestId,
                    null);
        }
        String type = typeNode.textValue();
        try {
            ClientMessage message = decodeTyped(type, requestId, fields);
            if (message == null) {
                return new DecodeResult.Rejected(ErrorCode.UNKNOWN_TYPE, "unknown type '" + abbreviate(type) + "'",
                        requestId, null);
            }
            return new DecodeResult.Decoded(message);
        } catch (InvalidFieldException e) {
            return new DecodeResult.Rejected(ErrorCode.INVALID_FIELD, e.getMessage(), requestId, type);
        }
    }

    private static ClientMessage decodeTyped(String type, String requestId, JsonFields f) {
        return switch (type) {
            case ClientMessage.Hello.TYPE -> hello(requestId, f);
            case ClientMessage.Bye.TYPE -> new ClientMessage.Bye(requestId);
            case ClientMessage.Ping.TYPE -> new ClientMessage.Ping(requestId);
            case ClientMessage.Pong.TYPE -> new ClientMessage.Pong(requestId);
            case ClientMessage.CreateRoom.TYPE -> new ClientMessage.CreateRoom(requestId,
                    f.optionalBoolean("relayOnly"));
            case ClientMessage.JoinCall.TYPE -> new ClientMessage.JoinCall(requestId, f.requiredId("roomId"));
            case ClientMessage.LeaveCall.TYPE -> new ClientMessage.LeaveCall(requestId, f.requiredId("roomId"));
            case ClientMessage.Signal.TYPE -> signal(requestId, f);
            case ClientMessage.MediaState.TYPE -> new ClientMessage.MediaState(requestId, f.requiredId("roomId"),
                    f.optionalBoolean("muted"), f.optionalBoolean("camera"), f.optionalBoolean("speaking"));
            case ClientMessage.RefreshCredentials.TYPE -> new ClientMessage.RefreshCredentials(requestId,
                    f.requiredId("roomId"));
            case ClientMessage.JoinRoom.TYPE -> new ClientMessage.JoinRoom(requestId, f.requiredId("roomId"));
            case ClientMessage.LeaveRoom.TYPE -> new ClientMessage.LeaveRoom(requestId, f.requiredId("roomId"));
            case ClientMessage.NameRoom.TYPE -> new ClientMessage.NameRoom(requestId, f.requiredId("roomId"),
                    RoomName.valid(f.requiredString("name", RoomName.MAX_RAW_CHARS)));
            case ClientMessage.ListRooms.TYPE -> new ClientMessage.ListRooms(requestId);
            case ClientMessage.RenameRoom.TYPE -> new ClientMessage.RenameRoom(requestId, f.requiredId("roomId"),
                    RoomName.valid(f.requiredString("name", RoomName.MAX_RAW_CHARS)));
            case ClientMessage.CloseRoom.TYPE -> new ClientMessage.CloseRoom(requestId, f.requiredId("roomId"));
            case ClientMessage.UpdateRoomSettings.TYPE -> new ClientMessage.UpdateRoomSettings(requestId,
                    f.requiredId("roomId"), f.requiredBoolean("relayOnly"));
            case ClientMessage.SendChat.TYPE -> new ClientMessage.SendChat(requestId, f.requiredId("roomId"),
                    f.requiredId("clientMsgId"), f.requiredString("text", MAX_TEXT_CHARS),
                    f.optionalLong("replyTo", 1, Long.MAX_VALUE));
            case ClientMessage.GetHistory.TYPE -> history(requestId, f);
            case ClientMessage.EditChat.TYPE -> new ClientMessage.EditChat(requestId, f.requiredId("roomId"),
                    f.requiredLong("messageId", 1, Long.MAX_VALUE), f.requiredString("text", MAX_TEXT_CHARS),
                    f.optionalString("reason", MAX_REASON_CHARS));
            case ClientMessage.DeleteChat.TYPE -> new ClientMessage.DeleteChat(requestId, f.requiredId("roomId"),
                    f.requiredLong("messageId", 1, Long.MAX_VALUE), f.optionalString("reason", MAX_REASON_CHARS));
            case ClientMessage.MarkRead.TYPE -> new ClientMessage.MarkRead(requestId, f.requiredId("roomId"),
                    f.requiredLong("messageId", 1, Long.MAX_VALUE));
            case ClientMessage.Typing.TYPE -> new ClientMessage.Typing(requestId, f.requiredId("roomId"),
                    f.requiredBoolean("active"));
            case ClientMessage.UpdateProfile.TYPE -> new ClientMessage.UpdateProfile(requestId,
                    f.optionalString("displayName", MAX_NAME_CHARS), f.optionalString("avatarUrl", MAX_URL_CHARS));
            case ClientMessage.CreateInvite.TYPE -> createInvite(requestId, f);
            case ClientMessage.RedeemInvite.TYPE -> new ClientMessage.RedeemInvite(requestId, f.requiredId("token"));
            case ClientMessage.RevokeInvite.TYPE -> new ClientMessage.RevokeInvite(requestId, f.requiredId("roomId"),
                    f.requiredId("inviteId"));
            case ClientMessage.ListInvites.TYPE -> new ClientMessage.ListInvites(requestId, f.requiredId("roomId"));
            case ClientMessage.PendingInvites.TYPE -> new ClientMessage.PendingInvites(requestId);
            case ClientMessage.AcceptInvite.TYPE -> new ClientMessage.AcceptInvite(requestId,
                    f.requiredId("inviteId"));
            case ClientMessage.DeclineInvite.TYPE -> new ClientMessage.DeclineInvite(requestId,
                    f.requiredId("inviteId"));
            case ClientMessage.RevokeUser.TYPE -> new ClientMessage.RevokeUser(requestId, f.requiredId("userId"));
            case ClientMessage.KickMember.TYPE -> new ClientMessage.KickMember(requestId, f.requiredId("roomId"),
                    f.requiredId("userId"), f.optionalString("reason", MAX_REASON_CHARS));
            case ClientMessage.ChangeRole.TYPE -> changeRole(requestId, f);
            case ClientMessage.OpenDirect.TYPE -> new ClientMessage.OpenDirect(requestId, f.requiredId("userId"));
            default -> null;
        };
    }

    private static ClientMessage.ChangeRole changeRole(String requestId, JsonFields f) {
        String roomId = f.requiredId("roomId");
        String userId = f.requiredId("userId");
        String role = f.requiredString("role", 16);
        if (!ClientMessage.ChangeRole.GRANTABLE.contains(role)) {
            throw new InvalidFieldException("field 'role' must be one of " + ClientMessage.ChangeRole.GRANTABLE);
        }
        return new ClientMessage.ChangeRole(requestId, roomId, userId, role);
    }

    /** {@code before} and {@code after} page in opposite directions: one request names at most one of them. */
    private static ClientMessage.GetHistory history(String requestId, JsonFields f) {
        Long limit = f.optionalLong("limit", 1, MAX_HISTORY_PAGE);
        String roomId = f.requiredId("roomId");
        Long before = f.optionalLong("before", 1, Long.MAX_VALUE);
        Long after = f.optionalLong("after", 1, Long.MAX_VALUE);
        if (before != null && after != null) {
            throw new InvalidFieldException("fields 'before' and 'after' exclude each other: give at most one");
        }
        return new ClientMessage.GetHistory(requestId, roomId, before, limit == null ? null : limit.intValue(),
                after);
    }

    /**
     * Shape only: the kind is known and carries the field it needs. Whether the SDP or candidate is acceptable is
     * the room's {@code SdpValidator}'s call (it counts rejections by reason).
     */
    private static ClientMessage.Signal signal(String requestId, JsonFields f) {
        String roomId = f.requiredId("roomId");
        String to = f.requiredId("to");
        String kindName = f.requiredString("kind", 32);
        SignalKind kind = SignalKind.fromWire(kindName);
        if (kind == null) {
            throw new InvalidFieldException("field 'kind' must be one of " + SignalKind.wireNames());
        }
        String sdp = f.optionalString("sdp", MAX_SDP_CHARS);
        String candidate = f.optionalString("candidate", MAX_CANDIDATE_CHARS);
        String sdpMid = f.optionalString("sdpMid", MAX_SDP_MID_CHARS);
        Long index = f.optionalLong("sdpMLineIndex", 0, MAX_MLINE_INDEX);
        Boolean iceRestart = f.optionalBoolean("iceRestart");
        if (kind.carriesSdp() && sdp == null) {
            throw new InvalidFieldException("missing field 'sdp' (required for kind '" + kindName + "')");
        }
        if (kind == SignalKind.CANDIDATE && candidate == null) {
            throw new InvalidFieldException("missing field 'candidate' (required for kind 'candidate')");
        }
        return new ClientMessage.Signal(requestId, roomId, to, kind.wire(), kind.carriesSdp() ? sdp : null,
                kind == SignalKind.CANDIDATE ? candidate : null, sdpMid, index == null ? null : index.intValue(),
                kind == SignalKind.OFFER ? iceRestart : null);
    }

    /**
     * Shape only: a known kind, and a {@code userId} exactly for a targeted invite. The lifetime's bounds are the
     * server's configuration, checked by the session.
     */
    private static ClientMessage.CreateInvite createInvite(String requestId, JsonFields f) {
        String roomId = f.requiredId("roomId");
        String kind = f.requiredString("kind", 32);
        if (!INVITE_KINDS.contains(kind)) {
            throw new InvalidFieldException("field 'kind' must be one of " + String.join(", ", INVITE_KINDS));
        }
        String userId = f.optionalString("userId", JsonFields.MAX_ID_LENGTH);
        if (kind.equals("targeted") != (userId != null)) {
            throw new InvalidFieldException("field 'userId' is required for kind 'targeted' and only for it");
        }
        if (userId != null && userId.isEmpty()) {
            throw new InvalidFieldException("field 'userId' must not be empty");
        }
        return new ClientMessage.CreateInvite(requestId, roomId, kind, userId, f.optionalLong("ttl", 0,
                Integer.MAX_VALUE));
    }

    private static ClientMessage.Hello hello(String requestId, JsonFields f) {
        int version = (int) f.requiredLong("version", 0, Integer.MAX_VALUE);
        JsonFields auth = f.optionalObject("auth");
        JsonFields resume = f.optionalObject("resume");
        if ((auth == null) == (resume == null)) {
            throw new InvalidFieldException("hello needs exactly one of 'auth' and 'resume'");
        }
        ClientMessage.Credentials credentials = auth == null ? null : new ClientMessage.Credentials(
                auth.requiredId("provider"), auth.optionalString("displayName", MAX_NAME_CHARS),
                auth.optionalString("avatarUrl", MAX_URL_CHARS), auth.optionalString("token", 4096),
                auth.optionalString("invite", MAX_INVITE_CHARS),
                auth.optionalString("authId", MAX_AUTH_ID_CHARS), auth.optionalString("login", MAX_NAME_CHARS));
        ClientMessage.Resume resumeRequest = resume == null ? null : new ClientMessage.Resume(
                resume.requiredId("token"), resume.requiredLong("lastSeq", 0, Long.MAX_VALUE));
        return new ClientMessage.Hello(requestId, version, credentials, resumeRequest);
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }
}
