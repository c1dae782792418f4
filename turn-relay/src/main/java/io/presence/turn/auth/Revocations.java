package io.presence.turn.auth;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Revoked participants and rooms. A REST credential carries only its expiry, not its issue time, so a
 * revocation must outlive every credential that may have been issued before it: an entry is kept until
 * {@code revokedAt + maxCredentialTtl} and rejects every credential of that participant or room expiring
 * before then. After that, memory is reclaimed ({@link #purge()}).
 *
 * <p>Consequence for callers: a revoked participant cannot be given new working credentials under the same
 * id until the entry lapses; signaling gives each join its own participant id (e.g. the call session id).
 * {@link #isParticipantRevoked} lets mint refuse loudly instead of handing out dead credentials.
 *
 * <p>Thread-safe.
 */
public final class Revocations {
    private final ConcurrentHashMap<String, Long> participants = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Long> rooms = new ConcurrentHashMap<>();
    private final long holdSeconds;
    private final Clock clock;

    public Revocations(Duration maxCredentialTtl, Clock clock) {
        this.holdSeconds = maxCredentialTtl.toSeconds() + 1;
        this.clock = clock;
    }

    private long now() {
        return clock.millis() / 1000;
    }

    public void revokeParticipant(String room, String participant) {
        participants.put(key(room, participant), now() + holdSeconds);
    }

    public void revokeRoom(String room) {
        rooms.put(room, now() + holdSeconds);
    }

    /** Whether a credential of this username is revoked. */
    public boolean isRevoked(RestUsername user) {
        if (participants.isEmpty() && rooms.isEmpty()) {
            return false;
        }
        Long until = rooms.get(user.room());
        if (until != null && user.expiryEpochSeconds() <= until) {
            return true;
        }
        until = participants.get(key(user.room(), user.participant()));
        return until != null && user.expiryEpochSeconds() <= until;
    }

    public boolean isParticipantRevoked(String room, String participant) {
        Long r = rooms.get(room);
        Long p = participants.get(key(room, participant));
        long now = now();
        return r != null && r > now || p != null && p > now;
    }

    /** Drops entries no credential can match any more. */
    public void purge() {
        long now = now();
        participants.values().removeIf(until -> until < now);
        rooms.values().removeIf(until -> until < now);
    }

    public int size() {
        return participants.size() + rooms.size();
    }

    private static String key(String room, String participant) {
        return room + ':' + participant;
    }
}
