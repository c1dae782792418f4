package io.presence.signaling.session;

import io.presence.signaling.protocol.ChatMessageView;
import io.presence.signaling.storage.InviteKind;
import io.presence.signaling.storage.InviteRecord;
import io.presence.signaling.storage.InviteStore;
import io.presence.signaling.storage.Redemption;
import io.presence.signaling.storage.RoomMembership;
import io.presence.signaling.storage.RoomRecord;
import io.presence.signaling.storage.RoomStore;
import io.presence.signaling.storage.RoomSummary;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Rooms and invites kept in maps, with the semantics of the database stores (a redemption keeps the membership,
 * never lowers a role, and changes nothing when refused). Every call completes at once. Driven from one test
 * thread, hence synchronized only for safety.
 */
final class MemoryInviteStores {
    final Map<String, RoomRecord> rooms = new LinkedHashMap<>();
    final Map<String, String> names = new LinkedHashMap<>();
    final Map<String, Map<String, RoomMembership>> members = new LinkedHashMap<>();
    final Map<String, InviteRecord> invites = new LinkedHashMap<>();
    final List<String> redemptions = new ArrayList<>();

    final RoomStore roomStore = new RoomStore() {
        @Override
        public CompletionStage<Optional<RoomRecord>> load(String roomId) {
            synchronized (MemoryInviteStores.this) {
                return done(Optional.ofNullable(rooms.get(roomId)));
            }
        }

        @Override
        public CompletionStage<Void> create(RoomRecord room) {
            return done(null);
        }

        @Override
        public CompletionStage<Void> persist(RoomRecord room, String name, List<RoomMembership> kept,
                                             List<ChatMessageView> history) {
            synchronized (MemoryInviteStores.this) {
                rooms.put(room.id(), room);
                names.put(room.id(), name);
                Map<String, RoomMembership> byUser = members.computeIfAbsent(room.id(), k -> new LinkedHashMap<>());
                kept.forEach(m -> byUser.put(m.userId(), m));
                return done(null);
            }
        }

        @Override
        public CompletionStage<List<RoomSummary>> roomsOf(String userId) {
            synchronized (MemoryInviteStores.this) {
                List<RoomSummary> mine = new ArrayList<>();
                members.forEach((room, byUser) -> {
                    if (byUser.containsKey(userId)) {
                        mine.add(new RoomSummary(room, names.get(room), 0));
                    }
                });
                return done(mine);
            }
        }

        @Override
        public CompletionStage<List<RoomMembership>> members(String roomId) {
            synchronized (MemoryInviteStores.this) {
                return done(List.copyOf(members.getOrDefault(roomId, Map.of()).values()));
            }
        }

        @Override
        public CompletionStage<Void> addMember(String roomId, RoomMembership membership) {
            synchronized (MemoryInviteStores.this) {
                members.computeIfAbsent(roomId, k -> new LinkedHashMap<>()).put(membership.userId(), membership);
                return done(null);
            }
        }
    };

    final InviteStore inviteStore = new InviteStore() {
        @Override
        public CompletionStage<List<String>> create(InviteRecord invite) {
            synchronized (MemoryInviteStores.this) {
                List<String> revoked = new ArrayList<>();
                if (invite.kind() == InviteKind.PUBLIC) {
                    for (InviteRecord i : List.copyOf(invites.values())) {
                        if (i.roomId().equals(invite.roomId()) && i.kind() == InviteKind.PUBLIC && !i.revoked()) {
                            invites.put(i.id(), withRevoked(i, invite.createdAtMillis()));
                            revoked.add(i.id());
                        }
                    }
                }
                invites.put(invite.id(), invite);
                return done(revoked);
            }
        }

        @Override
        public CompletionStage<Optional<InviteRecord>> byTokenHash(String tokenHash) {
            synchronized (MemoryInviteStores.this) {
                return done(invites.values().stream().filter(i -> i.tokenHash().equals(tokenHash)).findFirst());
            }
        }

        @Override
        public CompletionStage<Optional<InviteRecord>> byId(String inviteId) {
            synchronized (MemoryInviteStores.this) {
                return done(Optional.ofNullable(invites.get(inviteId)));
            }
        }

        @Override
        public CompletionStage<Redemption> redeem(String inviteId, RoomMembership membership, long nowMillis) {
            synchronized (MemoryInviteStores.this) {
                InviteRecord i = invites.get(inviteId);
                if (i == null) {
                    return done(Redemption.UNKNOWN);
                }
                if (i.revoked()) {
                    return done(Redemption.REVOKED);
                }
                if (i.expiredAt(nowMillis)) {
                    return done(Redemption.EXPIRED);
                }
                if (i.kind().singleUse() && i.uses() > 0) {
                    return done(Redemption.USED);
                }
                invites.put(i.id(), new InviteRecord(i.id(), i.roomId(), i.tokenHash(), i.kind(), i.targetUser(),
                        i.createdBy(), i.createdAtMillis(), i.expiresAtMillis(), null, i.uses() + 1));
                redemptions.add(inviteId + " " + membership.userId());
                members.computeIfAbsent(i.roomId(), k -> new LinkedHashMap<>())
                        .putIfAbsent(membership.userId(), membership);
                return done(Redemption.REDEEMED);
            }
        }

        @Override
        public CompletionStage<Boolean> revoke(String roomId, String inviteId, long nowMillis) {
            synchronized (MemoryInviteStores.this) {
                InviteRecord i = invites.get(inviteId);
                if (i == null || !i.roomId().equals(roomId) || i.revoked()) {
                    return done(false);
                }
                invites.put(inviteId, withRevoked(i, nowMillis));
                return done(true);
            }
        }

        @Override
        public CompletionStage<List<InviteRecord>> list(String roomId) {
            synchronized (MemoryInviteStores.this) {
                return done(invites.values().stream().filter(i -> i.roomId().equals(roomId)).toList());
            }
        }

        @Override
        public CompletionStage<List<InviteRecord>> pending(String userId, long nowMillis) {
            synchronized (MemoryInviteStores.this) {
                return done(invites.values().stream().filter(i -> userId.equals(i.targetUser()) && !i.revoked()
                        && i.uses() == 0 && !i.expiredAt(nowMillis)).toList());
            }
        }
    };

    private static InviteRecord withRevoked(InviteRecord i, long at) {
        return new InviteRecord(i.id(), i.roomId(), i.tokenHash(), i.kind(), i.targetUser(), i.createdBy(),
                i.createdAtMillis(), i.expiresAtMillis(), at, i.uses());
    }

    private static <T> CompletionStage<T> done(T value) {
        return CompletableFuture.completedFuture(value);
    }
}
