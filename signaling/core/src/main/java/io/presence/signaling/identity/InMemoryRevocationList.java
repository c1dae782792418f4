package io.presence.signaling.identity;

import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Revocations kept in memory: lost at restart, which is fine for a server without a database (its tokens' lifetimes
 * are bounded by {@code auth.jwt.maxTtl}, and its sessions do not survive a restart either). One entry per revoked
 * user; revocations are rare administrator actions.
 */
public final class InMemoryRevocationList implements RevocationList {

    private final Map<String, Long> revoked = new ConcurrentHashMap<>();

    @Override
    public CompletionStage<Void> revoke(String userId, long revokedAtMillis) {
        record(userId, revokedAtMillis);
        return CompletableFuture.completedFuture(null);
    }

    /** Records in memory only; for a durable list that keeps this one as its cache. */
    public void record(String userId, long revokedAtMillis) {
        revoked.merge(userId, revokedAtMillis, Math::max);
    }

    @Override
    public OptionalLong revokedAt(String userId) {
        Long at = revoked.get(userId);
        return at == null ? OptionalLong.empty() : OptionalLong.of(at);
    }
}
