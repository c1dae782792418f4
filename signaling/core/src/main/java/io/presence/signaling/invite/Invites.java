package io.presence.signaling.invite;

import io.presence.signaling.identity.Access;
import io.presence.signaling.identity.Principal;
import io.presence.signaling.identity.RoomAction;
import io.presence.signaling.protocol.ClientMessage;
import io.presence.signaling.protocol.ErrorCode;
import io.presence.signaling.protocol.InviteView;
import io.presence.signaling.protocol.ServerMessage;
import io.presence.signaling.room.RandomIds;
import io.presence.signaling.room.Room;
import io.presence.signaling.room.RoomDirectory;
import io.presence.signaling.runtime.TimeSource;
import io.presence.signaling.storage.InviteKind;
import io.presence.signaling.storage.InviteRecord;
import io.presence.signaling.storage.InviteStore;
import io.presence.signaling.storage.Redemption;
import io.presence.signaling.storage.RoomMembership;
import io.presence.signaling.storage.RoomRecord;
import io.presence.signaling.storage.RoomStore;
import io.presence.signaling.storage.RoomSummary;
import io.presence.signaling.storage.StorageErrors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Invites to persistent rooms: creating, redeeming (by token, or by accepting a targeted invite), revoking and
 * listing them. Every answer is the {@link ServerMessage} the client gets, success or typed error; a refused
 * request changes nothing. Whether a room may be managed is decided in {@link InviteRights}.
 *
 * <p>Thread-safe; never blocks. Stages complete on the stores' threads: callers hop back to their loop.
 */
public final class Invites {
    private static final Logger log = LoggerFactory.getLogger(Invites.class);
    static final int INVITE_ID_BYTES = 12;
    public static final String ROLE_MEMBER = "member";
    public static final String ROLE_GUEST = "guest";

    private final InviteStore store;
    private final RoomDirectory directory;
    private final RoomStore rooms;
    private final InviteRecipients recipients;
    private final InviteSettings settings;
    private final InviteMetrics metrics;
    private final TimeSource time;

    /**
     * @param directory  the rooms: their store, and the loaded ones, which learn the memberships invites grant
     * @param recipients where targeted invites are announced to their users
     */
    public Invites(InviteStore store, RoomDirectory directory, InviteRecipients recipients, InviteSettings settings,
                   InviteMetrics metrics, TimeSource time) {
        this.store = Objects.requireNonNull(store, "store");
        this.directory = Objects.requireNonNull(directory, "directory");
        this.rooms = directory.store();
        this.recipients = Objects.requireNonNull(recipients, "recipients");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.time = Objects.requireNonNull(time, "time");
    }

    /** Invites on a server that keeps no rooms: every request is answered {@code not_supported}. */
    public static Invites unsupported(RoomDirectory directory, TimeSource time) {
        return new Invites(InviteStore.NONE, directory, InviteRecipients.NONE, InviteSettings.DEFAULT,
                InviteMetrics.noop(), time);
    }

    public InviteSettings settings() {
        return settings;
    }

    // --- owners and admins ---

    /** {@code invite.create}: answered {@code invite.created} with the token, which is shown this once. */
    public CompletionStage<ServerMessage> create(Principal principal, ClientMessage.CreateInvite m) {
        String rid = m.requestId();
        long ttlSeconds = m.ttl() == null ? settings.defaultTtl().toSeconds() : m.ttl();
        if (ttlSeconds < InviteSettings.MIN_TTL.toSeconds() || ttlSeconds > settings.maxTtl().toSeconds()) {
            return answer(ServerMessage.Error.of(rid, ErrorCode.INVALID_FIELD, "field 'ttl' must be "
                    + InviteSettings.MIN_TTL.toSeconds() + ".." + settings.maxTtl().toSeconds() + " seconds"));
        }
        InviteKind kind = InviteKind.fromWire(m.kind());
        if (kind == null) {
            return answer(ServerMessage.Error.of(rid, ErrorCode.INVALID_FIELD, "field 'kind' is not a known kind"));
        }
        return managed(principal, rid, m.roomId(), RoomAction.INVITE_CREATE, room -> {
            long now = time.millis();
            InviteToken token = InviteToken.next();
            InviteRecord invite = new InviteRecord(RandomIds.next(INVITE_ID_BYTES), room.id(), token.hash(), kind,
                    m.userId(), principal.userId(), now, now + ttlSeconds * 1000, null, 0);
            return store.create(invite).thenApply(replaced -> {
                metrics.created(kind);
                if (!replaced.isEmpty()) {
                    metrics.revoked(replaced.size());
                }
                if (kind == InviteKind.TARGETED) {
                    recipients.received(invite.targetUser(), view(invite));
                }
                return new ServerMessage.InviteCreated(rid, invite.id(), room.id(), kind.wire(), token.token(),
                        settings.url(token.token()), invite.expiresAtMillis());
            });
        });
    }

    /**
     * {@code invite.revoke}: answered {@code ok}, also when it was revoked already (the owner's intent holds); an
     * invite of another room is {@code invite_unknown}.
     */
    public CompletionStage<ServerMessage> revoke(Principal principal, ClientMessage.RevokeInvite m) {
        String rid = m.requestId();
        return managed(principal, rid, m.roomId(), RoomAction.INVITE_REVOKE, room -> store.revoke(room.id(), m.inviteId(), time.millis())
                .thenCompose(revoked -> {
                    if (revoked) {
                        metrics.revoked(1);
                        return answer(new ServerMessage.Ok(rid));
                    }
                    return store.byId(m.inviteId()).thenApply(found -> found.isPresent()
                            && found.get().roomId().equals(room.id())
                            ? new ServerMessage.Ok(rid)
                            : ServerMessage.Error.of(rid, ErrorCode.INVITE_UNKNOWN, "the room has no such invite"));
                }));
    }

    /** {@code invite.list}: every invite of the room, without tokens. */
    public CompletionStage<ServerMessage> list(Principal principal, ClientMessage.ListInvites m) {
        String rid = m.requestId();
        return managed(principal, rid, m.roomId(), RoomAction.INVITE_LIST, room -> store.list(room.id()).thenApply(invites ->
                new ServerMessage.InviteList(rid, room.id(), views(invites))));
    }

    // --- whoever holds an invite ---

    /** {@code invite.redeem}: the signed-in user becomes a member (or keeps the role they have). */
    public CompletionStage<ServerMessage> redeem(Principal principal, String rid, String token) {
        return guarded(rid, store.byTokenHash(InviteToken.hash(token)).thenCompose(found -> {
            if (found.isEmpty()) {
                return refused(rid, InviteRefusal.UNKNOWN);
            }
            InviteRecord invite = found.get();
            if (invite.kind() == InviteKind.TARGETED && !invite.targetUser().equals(principal.userId())
                    || principal.onlyRoom() != null && !principal.onlyRoom().equals(invite.roomId())) {
                return refused(rid, InviteRefusal.NOT_YOURS);
            }
            return admit(principal, rid, invite, ROLE_MEMBER);
        }));
    }

    /** {@code invite.pending}: the targeted invites the user can still accept. */
    public CompletionStage<ServerMessage> pending(Principal principal, String rid) {
        return guarded(rid, store.pending(principal.userId(), time.millis())
                .thenApply(invites -> new ServerMessage.PendingInviteList(rid, views(invites))));
    }

    /** {@code invite.accept}: a targeted invite for this user, by id. Anyone else's is {@code invite_unknown}. */
    public CompletionStage<ServerMessage> accept(Principal principal, String rid, String inviteId) {
        return guarded(rid, mine(principal, inviteId).thenCompose(found -> found.isEmpty()
                ? refused(rid, InviteRefusal.UNKNOWN)
                : admit(principal, rid, found.get(), ROLE_MEMBER)));
    }

    /** {@code invite.decline}: revokes a targeted invite for this user; answered {@code ok}. */
    public CompletionStage<ServerMessage> decline(Principal principal, String rid, String inviteId) {
        return guarded(rid, mine(principal, inviteId).thenCompose(found -> {
            if (found.isEmpty()) {
                return refused(rid, InviteRefusal.UNKNOWN);
            }
            return store.revoke(found.get().roomId(), inviteId, time.millis()).thenApply(revoked -> {
                if (revoked) {
                    metrics.revoked(1);
                }
                return new ServerMessage.Ok(rid);
            });
        }));
    }

    /**
     * A guest's sign-in: redeems {@code token} for a new guest user, who becomes a member of the invite's room
     * with the role {@code guest}. Targeted invites are for known users, never for guests.
     */
    public CompletionStage<GuestAdmission> admitGuest(String token, String guestUserId, String displayName) {
        return store.byTokenHash(InviteToken.hash(token)).thenCompose(found -> {
            if (found.isEmpty()) {
                return refusedGuest(InviteRefusal.UNKNOWN);
            }
            InviteRecord invite = found.get();
            if (invite.kind() == InviteKind.TARGETED) {
                return refusedGuest(InviteRefusal.NOT_YOURS);
            }
            RoomMembership membership = new RoomMembership(guestUserId, ROLE_GUEST, displayName);
            return store.redeem(invite.id(), membership, time.millis())
                    .thenApply(outcome -> {
                        if (outcome != Redemption.REDEEMED) {
                            InviteRefusal refusal = InviteRefusal.of(outcome);
                            metrics.rejected(refusal.reason());
                            return GuestAdmission.refused(refusal);
                        }
                        admitted(invite, membership);
                        return GuestAdmission.admitted(invite.roomId());
                    });
        });
    }

    private CompletionStage<GuestAdmission> refusedGuest(InviteRefusal refusal) {
        metrics.rejected(refusal.reason());
        return CompletableFuture.completedFuture(GuestAdmission.refused(refusal));
    }

    // --- the steps ---

    private CompletionStage<Optional<InviteRecord>> mine(Principal principal, String inviteId) {
        return store.byId(inviteId).thenApply(found -> found.filter(i -> i.kind() == InviteKind.TARGETED
                && i.targetUser().equals(principal.userId())));
    }

    private CompletionStage<ServerMessage> admit(Principal principal, String rid, InviteRecord invite, String role) {
        RoomMembership membership = new RoomMembership(principal.userId(), role, principal.displayName());
        return store.redeem(invite.id(), membership, time.millis()).thenCompose(outcome -> {
                    if (outcome != Redemption.REDEEMED) {
                        return refused(rid, InviteRefusal.of(outcome));
                    }
                    admitted(invite, membership);
                    return rooms.roomsOf(principal.userId()).thenApply(mine -> new ServerMessage.InviteRedeemed(rid,
                            invite.roomId(), nameOf(mine, invite.roomId())));
                });
    }

    /**
     * Counts the redemption and tells the room, when it is loaded, about the membership the invite granted: its
     * members were read when it loaded, and the user must join it as the member it now is.
     */
    private void admitted(InviteRecord invite, RoomMembership membership) {
        metrics.redeemed(invite.kind());
        Room loaded = directory.loaded(invite.roomId());
        if (loaded != null) {
            loaded.admitted(membership);
        }
    }

    private static String nameOf(List<RoomSummary> rooms, String roomId) {
        for (RoomSummary r : rooms) {
            if (r.roomId().equals(roomId)) {
                return r.name();
            }
        }
        return null;
    }

    /**
     * Runs {@code then} with the room's record when the room is kept and the principal may manage its invites;
     * an unnamed room is {@code not_persistent}, anyone the rights table refuses {@code action} {@code forbidden}.
     */
    private CompletionStage<ServerMessage> managed(Principal principal, String rid, String roomId, RoomAction action,
                                                   Function<RoomRecord, CompletionStage<ServerMessage>> then) {
        if (store == InviteStore.NONE) {
            return answer(ServerMessage.Error.of(rid, ErrorCode.NOT_SUPPORTED,
                    "this server keeps no rooms, so it has no invites"));
        }
        return guarded(rid, rooms.load(roomId).thenCompose(record -> {
            if (record.isEmpty()) {
                return answer(ServerMessage.Error.of(rid, ErrorCode.NOT_PERSISTENT,
                        "invites are for named rooms only (room.name keeps a room); no named room has that id"));
            }
            return rooms.members(roomId).thenCompose(members -> {
                if (InviteRights.check(principal, record.get(), members, action) instanceof Access.Refused r) {
                    metrics.rejected("forbidden");
                    return answer(new ServerMessage.Error(rid, ErrorCode.FORBIDDEN.wire(), r.message(), null,
                            r.reason()));
                }
                return then.apply(record.get());
            });
        }));
    }

    private CompletionStage<ServerMessage> refused(String rid, InviteRefusal refusal) {
        metrics.rejected(refusal.reason());
        return answer(ServerMessage.Error.of(rid, refusal.code(), refusal.message()));
    }

    /** A failed store becomes the typed error of {@link StorageErrors}, with one log line. */
    private static CompletionStage<ServerMessage> guarded(String rid, CompletionStage<ServerMessage> stage) {
        return stage.exceptionally(failure -> {
            ErrorCode code = StorageErrors.codeOf(failure);
            if (code == ErrorCode.INTERNAL) {
                log.warn("invite request failed", failure);
            } else {
                log.warn("invite request failed: {}", StorageErrors.describe(failure));
            }
            return ServerMessage.Error.of(rid, code, code == ErrorCode.NOT_SUPPORTED
                    ? "this server keeps no rooms, so it has no invites" : "the invite could not be handled now");
        });
    }

    private static CompletionStage<ServerMessage> answer(ServerMessage message) {
        return CompletableFuture.completedFuture(message);
    }

    private static List<InviteView> views(List<InviteRecord> invites) {
        List<InviteView> views = new ArrayList<>(invites.size());
        for (InviteRecord i : invites) {
            views.add(view(i));
        }
        return views;
    }

    private static InviteView view(InviteRecord i) {
        return new InviteView(i.id(), i.roomId(), i.kind().wire(), i.targetUser(), i.createdBy(),
                i.createdAtMillis(), i.expiresAtMillis(), i.uses(), i.revoked());
    }
}
