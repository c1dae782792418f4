package io.presence.signaling.storage;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Where invites to persistent rooms are kept: they outlive the process like the rooms they open. Closing a room
 * ({@link RoomStore#close}) deletes its invites. Stages may complete on any thread; implementations never block
 * the caller (an event loop).
 *
 * <p>Thread-safe.
 */
public interface InviteStore {

    /** The store of a server that keeps no rooms: every call fails with {@link PersistenceUnsupportedException}. */
    InviteStore NONE = new InviteStore() {
    };

    /**
     * Keeps a new invite; a {@link InviteKind#PUBLIC} one revokes the room's previous public invites in the same
     * transaction. Completes after the commit with the ids of the invites it revoked.
     */
    default CompletionStage<List<String>> create(InviteRecord invite) {
        return unsupported();
    }

    /** The invite whose token hashes to {@code tokenHash}, or empty. */
    default CompletionStage<Optional<InviteRecord>> byTokenHash(String tokenHash) {
        return unsupported();
    }

    default CompletionStage<Optional<InviteRecord>> byId(String inviteId) {
        return unsupported();
    }

    /**
     * Redeems the invite for {@code membership.userId()} in one transaction: counts the use (a single-use invite
     * only while unused: of concurrent redemptions exactly one wins), records who redeemed it and when, and keeps
     * the membership of the invite's room. A user who is a member already keeps their role. Nothing changes unless
     * the answer is {@link Redemption#REDEEMED}.
     */
    default CompletionStage<Redemption> redeem(String inviteId, RoomMembership membership, long nowMillis) {
        return unsupported();
    }

    /** Revokes the invite if it belongs to {@code roomId} and is not revoked; completes with whether it did. */
    default CompletionStage<Boolean> revoke(String roomId, String inviteId, long nowMillis) {
        return unsupported();
    }

    /** Every invite of the room, revoked and expired ones included, oldest first. */
    default CompletionStage<List<InviteRecord>> list(String roomId) {
        return unsupported();
    }

    /** The targeted invites for {@code userId} that can still be accepted at {@code nowMillis}, oldest first. */
    default CompletionStage<List<InviteRecord>> pending(String userId, long nowMillis) {
        return unsupported();
    }

    private static <T> CompletionStage<T> unsupported() {
        return CompletableFuture.failedFuture(new PersistenceUnsupportedException("this store keeps no invites"));
    }
}
