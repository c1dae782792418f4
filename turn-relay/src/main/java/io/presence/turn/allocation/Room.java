package io.presence.turn.allocation;

import io.presence.turn.config.RoomPolicy;

/**
 * A room as the relay sees it: its policy and how many allocations it holds. Shared by the room's
 * allocations, which read {@link #policy()} on every send (a volatile read). Counts are guarded by the
 * {@link AllocationManager}.
 */
public final class Room {
    private final String id;
    private volatile RoomPolicy policy;
    int allocations;

    Room(String id, RoomPolicy policy) {
        this.id = id;
        this.policy = policy;
    }

    public String id() {
        return id;
    }

    public RoomPolicy policy() {
        return policy;
    }

    void policy(RoomPolicy p) {
        policy = p;
    }

    public boolean relayOnly() {
        return policy == RoomPolicy.RELAY_ONLY;
    }
}
