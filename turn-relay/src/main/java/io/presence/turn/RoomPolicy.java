package io.presence.turn;

/** How far a room's allocations may relay. */
public enum RoomPolicy {
    /**
     * Allocations made with this room's credentials may only get permissions (and send) to relayed transport
     * addresses of allocations of the same room on this server: media never leaves the relay for anywhere
     * else, and no participant learns another's own address.
     */
    RELAY_ONLY,
    /** Any peer the server's peer policy allows (the default). */
    OPEN
}
